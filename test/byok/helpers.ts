import { randomBytes } from "node:crypto";
import type { TeamFx } from "../helpers/fixtures.js";
import { call } from "../helpers/harness.js";

/** An OpenAI-style secret no other test uses. */
export const freshSecret = (prefix = "sk-test-") => prefix + randomBytes(18).toString("base64url");

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
