import { z } from "@hono/zod-openapi";
import type { InferSelectModel } from "drizzle-orm";
import type { byokCredentials } from "../db/schema.js";
import { Millis, PaginationSchema } from "../http/schemas.js";
import { isStorableText } from "../rules/schemas.js";
import { PROVIDERS } from "./providers.js";

export type CredentialRow = InferSelectModel<typeof byokCredentials>;

/** A team holds at most this many credentials (every provider together): the list is one page. */
export const MAX_CREDENTIALS_PER_TEAM = 100;
/** A credential names at most this many keys in `apiKeyIds`. */
export const MAX_API_KEY_IDS = 100;

export const ORDER_TEXT =
  "Order: each provider's credentials are kept in a list the team controls; `position` is a credential's 0-based place in its provider's list. " +
  "A new credential goes last unless `position` is given; `PATCH {position}` moves it there (the others shift, keeping their relative order). " +
  "Authorize returns them in this order, and the gateway tries the first enabled one that the key may use.";

export const CredentialSchema = z
  .object({
    id: z.string().openapi({ example: "cred_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    teamId: z.string(),
    provider: z.enum(PROVIDERS),
    name: z.string(),
    enabled: z.boolean().openapi({ description: "Disabled credentials are kept and never returned by authorize." }),
    position: z.number().int().openapi({ description: "0-based place in the provider's list (see the list's description)." }),
    hint: z.string().openapi({ description: "The last 4 characters of the main secret (`apiKey`; bedrock `secretAccessKey`; vertex the private key).", example: "x9Qa" }),
    apiKeyIds: z.array(z.string()).openapi({ description: "The gateway keys that may use it; empty: every key of the team." }),
    createdAt: Millis,
    createdBy: z.string(),
    updatedAt: Millis,
    updatedBy: z.string(),
  })
  .openapi("ByokCredential", { description: "A BYOK provider credential. Its secret fields are never returned here: only `hint`." });
export type Credential = z.infer<typeof CredentialSchema>;

export function toCredential(r: CredentialRow): Credential {
  return {
    id: r.id,
    teamId: r.teamId,
    provider: r.provider as Credential["provider"],
    name: r.name,
    enabled: r.enabled,
    position: r.position,
    hint: r.hint,
    apiKeyIds: r.apiKeyIds,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
}

export const CredentialResponse = z.object({ credential: CredentialSchema }).openapi("ByokCredentialResponse");
export const ListCredentialsResponse = z
  .object({ credentials: z.array(CredentialSchema), pagination: PaginationSchema })
  .openapi("ListByokCredentialsResponse");

export const NameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(isStorableText, "must be valid Unicode text without NUL (U+0000) characters")
  .openapi({ description: "1-100 characters, for people (e.g. `prod-openai`).", example: "prod-openai" });
export const ApiKeyIdsSchema = z
  .array(z.string().min(1).max(64))
  .max(MAX_API_KEY_IDS)
  .openapi({ description: "Gateway key ids (`key_…`) of this team that may use the credential; empty or absent: every key. An OIDC token (no key) uses only credentials with none." });
export const PositionSchema = z.number().int().min(0).max(MAX_CREDENTIALS_PER_TEAM).openapi({ description: "0-based place in the provider's list; past the end means last." });

/** A credential in authorize's answer (to the gateway service token only): decrypted. */
export const GatewayCredentialSchema = z
  .object({
    id: z.string().openapi({ example: "cred_01jd7y2m3n4p5q6r7s8t9v0w1x" }),
    provider: z.string().openapi({ example: "openai" }),
    name: z.string(),
    credentials: z.record(z.string(), z.unknown()).openapi({ description: "The provider's fields, decrypted, e.g. `{\"apiKey\": \"sk-…\"}`.", example: { apiKey: "sk-proj-…" } }),
  })
  .openapi("GatewayByokCredential");
