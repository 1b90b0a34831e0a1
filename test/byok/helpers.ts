import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.js";
import { GatewayState } from "../../src/gateway/state.js";
import type { App } from "../../src/http/context.js";
import { systemClock } from "../../src/lib/clock.js";
import type { Keyring } from "../../src/lib/keyring.js";
import { createLogger } from "../../src/lib/logger.js";
import type { TeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";

/** An OpenAI-style secret no other test uses. */
export const freshSecret = (prefix = "sk-test-") => prefix + randomBytes(18).toString("base64url");

/**
 * An app on the shared database with its own keyring and an uncached gateway state (nothing shared
 * with the harness's cache: every authorize reads and decrypts), and the error lines it logs.
 */
export async function appWith(keyring: Keyring | null): Promise<{ app: App; lines: string[] }> {
  const { database, config } = await getHarness();
  const lines: string[] = [];
  const app = createApp({
    db: database.db,
    config,
    clock: systemClock,
    log: createLogger("error", (l) => lines.push(l)),
    gateway: new GatewayState(database.db, { cache: false }),
    keyring,
  });
  return { app, lines };
}

export type CredentialBody = {
  provider?: string;
  name?: string;
  credentials?: Record<string, unknown>;
  enabled?: boolean;
  apiKeyIds?: string[];
  position?: number;
};

/** Creates a BYOK credential through the API (an openai one with a fresh secret unless told otherwise). */
export async function createCredentialFx(team: TeamFx, body: CredentialBody = {}, token = team.owner.token) {
  const r = await call("POST", `/v1/ai-gateway/byok?teamId=${team.id}`, {
    token,
    body: { provider: "openai", name: "prod", credentials: { apiKey: freshSecret() }, ...body },
  });
  if (r.status !== 201) throw new Error(`createCredential: ${r.status} ${r.text}`);
  return r.body.credential as { id: string; provider: string; name: string; hint: string; position: number; enabled: boolean; apiKeyIds: string[] };
}
