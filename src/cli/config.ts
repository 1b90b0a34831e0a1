import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliFailure } from "./errors.js";

/** What `tollgate login` stores. */
export type StoredConfig = { url?: string; token?: string };

export const DEFAULT_URL = "http://localhost:3000";

/** `$XDG_CONFIG_HOME/tollgate` (default `~/.config/tollgate`; `%APPDATA%\tollgate` on Windows). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || (process.platform === "win32" && env.APPDATA) || join(homedir(), ".config");
  return join(base, "tollgate");
}

export const configPath = (env: NodeJS.ProcessEnv = process.env) => join(configDir(env), "config.json");

export function readConfig(env: NodeJS.ProcessEnv = process.env): StoredConfig {
  let text: string;
  try {
    text = readFileSync(configPath(env), "utf8");
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== "object") return {};
    const { url, token } = parsed as Record<string, unknown>;
    return { ...(typeof url === "string" ? { url } : {}), ...(typeof token === "string" ? { token } : {}) };
  } catch {
    throw new CliFailure(`${configPath(env)} is not valid JSON: fix it or run \`tollgate logout\`.`);
  }
}

/** Writes the config file with mode 0600 (its folder 0700): it holds a bearer token. */
export function writeConfig(config: StoredConfig, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = configPath(env);
  writeFileSync(path, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its old mode on write
  return path;
}

export function removeConfig(env: NodeJS.ProcessEnv = process.env): boolean {
  const path = configPath(env);
  try {
    readFileSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}

/**
 * The server's root URL: trailing slashes and a trailing `/v1` dropped, since SDKs take base URLs
 * ending in `/v1` (`OPENAI_BASE_URL=http://host:3000/v1`) and the CLI's paths start with `/v1/`.
 */
export function serverRoot(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v1$/, "");
}

/** The server and token in force: `TOLLGATE_API_URL` / `TOLLGATE_TOKEN` override the file. */
export function resolveConnection(env: NodeJS.ProcessEnv = process.env): { url: string; token: string | undefined } {
  const file = readConfig(env);
  return { url: serverRoot(env.TOLLGATE_API_URL || file.url || DEFAULT_URL), token: env.TOLLGATE_TOKEN || file.token };
}
