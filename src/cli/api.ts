import type { Command } from "commander";
import { createTollgateClient, type TollgateClient } from "../client/index.js";
import { resolveConnection } from "./config.js";
import { ApiRefusal, CliFailure, UsageError } from "./errors.js";

/** The options every API verb accepts (declared on the program, usable anywhere on the line). */
export type GlobalOpts = { scope?: string; json?: boolean };

export type Session = { client: TollgateClient; url: string };

const USER_AGENT = "tollgate-cli/0.1";

/** A client for the server and token in force (env over the config file). */
export function openSession(opts: { url?: string; token?: string; requireToken?: boolean } = {}): Session {
  const conn = resolveConnection();
  const url = opts.url ?? conn.url;
  const token = opts.token ?? conn.token;
  if (!token && opts.requireToken !== false) {
    throw new CliFailure("Not signed in: run `tollgate login`, or set TOLLGATE_TOKEN.");
  }
  const client = createTollgateClient({ baseUrl: url, token, headers: { "user-agent": USER_AGENT } });
  return { client, url };
}

type FetchResult<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call: the data on success; otherwise an ApiRefusal with the envelope's
 * message (and each `params` entry), or a CliFailure when the server cannot be reached.
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>, url: string): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliFailure(`Cannot reach ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (result.error === undefined && result.response.ok) return result.data as T;
  throw refusal(result.response.status, result.error);
}

function refusal(status: number, body: unknown): ApiRefusal {
  const env = (body as { error?: { code?: unknown; message?: unknown; params?: unknown } } | undefined)?.error;
  if (env && typeof env.message === "string") {
    let message = env.message;
    if (Array.isArray(env.params)) {
      const lines = env.params
        .filter((p): p is { path: string; message: string } => typeof p?.path === "string" && typeof p?.message === "string")
        .map((p) => `  ${p.path}: ${p.message}`);
      if (lines.length) message += "\n" + lines.join("\n");
    }
    return new ApiRefusal(status, typeof env.code === "string" ? env.code : "error", message, body);
  }
  return new ApiRefusal(status, "error", `The server answered HTTP ${status}.`, body);
}

export type TeamQuery = { teamId?: string; slug?: string };

/** What a team verb needs: the global options, a session, and the team (`--scope` or the only one). */
export async function teamContext(cmd: Command): Promise<{ g: GlobalOpts; session: Session; team: TeamQuery }> {
  const g = cmd.optsWithGlobals<GlobalOpts>();
  const session = openSession();
  return { g, session, team: await resolveScope(session, g.scope) };
}

/**
 * `--scope <team slug or id>`; without it, the token's only team (a team-scoped token, or a user
 * in one team). Several teams and no --scope is bad usage (exit 2), naming the choices.
 */
export async function resolveScope(session: Session, scope: string | undefined): Promise<TeamQuery> {
  if (scope) return scope.startsWith("team_") ? { teamId: scope } : { slug: scope };
  const me = await unwrap(session.client.GET("/v1/user"), session.url);
  const teams = me.teams;
  if (teams.length === 1) return { teamId: teams[0]!.id };
  if (teams.length === 0) throw new CliFailure("This token belongs to no team: create one (POST /v1/teams) or ask to be added.");
  throw new UsageError(`This token can reach ${teams.length} teams (${teams.map((t) => t.slug).join(", ")}): pass --scope <team slug or id>.`);
}
