import { z } from "@hono/zod-openapi";
import type { ErrorParam } from "../http/errors.js";
import { zodParams } from "../http/zod-params.js";

/**
 * The providers a team can store credentials for, and each one's `credentials` shape (strict: a
 * missing or an extra field is a 400 naming it). `secret` is the main secret, whose last 4
 * characters are the credential's `hint`.
 */
// Values are stored exactly as given (a PEM keeps its final newline).
const text = (max = 4096) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim() !== "", "must not be empty");
const apiKey = z.string().min(8, "must be at least 8 characters").max(4096).regex(/^\S+$/, "must not contain whitespace");

const apiKeyOnly = z.strictObject({ apiKey });

const SHAPES = {
  openai: apiKeyOnly,
  anthropic: apiKeyOnly,
  azure: z.strictObject({ apiKey, resourceName: text(200) }),
  bedrock: z.strictObject({ accessKeyId: text(256), secretAccessKey: apiKey, region: text(64).optional() }),
  vertex: z.strictObject({
    project: text(200),
    location: text(100),
    googleCredentials: z.strictObject({ privateKey: text(), clientEmail: text(320) }),
  }),
  // OpenAI-compatible providers the gateway knows by name.
  xai: apiKeyOnly,
  groq: apiKeyOnly,
  mistral: apiKeyOnly,
  deepseek: apiKeyOnly,
  together: apiKeyOnly,
  fireworks: apiKeyOnly,
  openrouter: apiKeyOnly,
} as const;

export type Provider = keyof typeof SHAPES;
export const PROVIDERS = Object.keys(SHAPES) as [Provider, ...Provider[]];
export type ProviderCredentials = Record<string, unknown>;

/** The main secret of a provider's credentials (already validated). */
function mainSecret(provider: Provider, c: ProviderCredentials): string {
  switch (provider) {
    case "bedrock":
      return c.secretAccessKey as string;
    case "vertex": {
      // The PEM armour and line breaks are the same for every key: hint at the key material.
      const pem = (c.googleCredentials as { privateKey: string }).privateKey;
      return pem.replace(/-----[A-Z ]+-----/g, "").replace(/\\n|\s/g, "");
    }
    default:
      return c.apiKey as string;
  }
}

/** The last 4 characters of the main secret (fewer only if the secret is that short). */
export function hintOf(provider: Provider, c: ProviderCredentials): string {
  return mainSecret(provider, c).slice(-4);
}

/**
 * Validates `credentials` against the provider's shape: the cleaned value, or 400 params naming
 * each missing, wrong or extra field as `credentials.<field>`.
 */
export function checkCredentials(provider: Provider, credentials: unknown): { ok: true; value: ProviderCredentials } | { ok: false; params: ErrorParam[] } {
  const r = SHAPES[provider].safeParse(credentials);
  if (r.success) return { ok: true, value: r.data as ProviderCredentials };
  return {
    ok: false,
    params: zodParams(r.error.issues as never).map((p) => ({
      path: p.path ? `credentials.${p.path}` : "credentials",
      message: p.message.endsWith("received undefined") ? `required for provider '${provider}'` : p.message,
    })),
  };
}

/** The shapes, for the OpenAPI description. */
export const SHAPES_TEXT = [
  "`openai`, `anthropic`, `xai`, `groq`, `mistral`, `deepseek`, `together`, `fireworks`, `openrouter`: `{apiKey}`",
  "`azure`: `{apiKey, resourceName}`",
  "`bedrock`: `{accessKeyId, secretAccessKey, region?}`",
  "`vertex`: `{project, location, googleCredentials: {privateKey, clientEmail}}`",
].join("; ");

/** `credentials` in the OpenAPI document: one of the shapes (validated per provider by the handler). */
export const CredentialsInput = z
  .record(z.string(), z.unknown())
  .openapi("ByokCredentialsInput", {
    description: `The provider's fields, checked against \`provider\`: ${SHAPES_TEXT}. A missing or extra field is 400 with \`params\` naming \`credentials.<field>\`.`,
    example: { apiKey: "sk-proj-…" },
  });
