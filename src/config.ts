import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseGithubPublicKeys, type GithubPublicKey } from "./leaks/github-signature.js";
import { parseEncryptionKeys, type EncryptionKey } from "./lib/keyring.js";
import { parseTrustedIssuers, type TrustedIssuer } from "./oidc/trusted-config.js";
import { loadPriceOverrides, type PriceOverrides } from "./proxy/prices.js";
import { providersFromEnv } from "./proxy/providers.js";

/** A variable read by `parse`, whose errors (thrown) become the variable's one line of the config error. */
const parsed = <T>(parse: (value: string) => T) =>
  z.string().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });

/**
 * A JSON setting given inline (a value starting with `[` or `{`) or as the path of a file holding
 * it; `parse` reads the JSON and throws what is wrong with it. `what` names the JSON in the message
 * for a file that cannot be read ("give <what> inline or the path of a file holding it").
 */
const jsonOrFile = <T>(what: string, parse: (json: string) => T) =>
  parsed((value) => {
    if (/^\s*[[{]/.test(value)) return parse(value);
    let json: string;
    try {
      json = readFileSync(value, "utf8");
    } catch (err) {
      throw new Error(`cannot read the file "${value}" (${(err as NodeJS.ErrnoException).code ?? "error"}); give ${what} inline or the path of a file holding it`);
    }
    return parse(json);
  });

/**
 * Every environment variable Tollgate reads, validated once at start.
 * The README's table of variables mirrors this schema.
 * Loose: the `<PROVIDER>_API_KEY` and `<PROVIDER>_BASE_URL` variables are read from the rest.
 */
const envSchema = z.looseObject({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  TOLLGATE_LISTEN_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  TOLLGATE_DATA_DIR: z.string().min(1).default("./.tollgate"),
  TOLLGATE_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TOLLGATE_GATEWAY_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TOLLGATE_PUBLIC_URL: z.url("must be an absolute URL").optional(),
  TOLLGATE_LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
  TOLLGATE_LOG_FORMAT: z.enum(["json", "text"], "must be json or text").optional(),
  TOLLGATE_COMPROMISED_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  TOLLGATE_TRUST_PROXY: z.enum(["true", "false"], "must be true or false").default("false"),
  /**
   * GitHub's secret scanning verification keys: the JSON document GitHub publishes at
   * https://api.github.com/meta/public_keys/secret_scanning, inline or as the path of a file holding it.
   */
  TOLLGATE_GITHUB_SECRET_SCANNING_KEYS: jsonOrFile("GitHub's JSON document", (json) => {
    const keys = parseGithubPublicKeys(json);
    if (keys.length === 0) throw new Error('GitHub public keys: "public_keys" is empty');
    return keys;
  }).optional(),
  /** One or more 32-byte keys, newest first (src/lib/keyring.ts). */
  TOLLGATE_ENCRYPTION_KEY: parsed(parseEncryptionKeys).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  /** A JSON array of issuer mappings (or one mapping), inline or as the path of a file holding it (src/oidc/trusted-config.ts). */
  TOLLGATE_TRUSTED_ISSUERS: jsonOrFile("the JSON", parseTrustedIssuers).optional(),
  TOLLGATE_OIDC_KEY_MAX_AGE_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** The path of a price overrides file (src/proxy/prices.ts). */
  TOLLGATE_PRICES: parsed(loadPriceOverrides).optional(),
  TOLLGATE_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1).default(600_000),
  TOLLGATE_USAGE_RETENTION_DAYS: z.coerce.number().int().min(1, "must be at least 1 (a requestId is idempotent for 24 h)").max(36500).default(30),
  TOLLGATE_CACHE_MAX_KEYS: z.coerce.number().int().min(1).default(100_000),
  TOLLGATE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TOLLGATE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  TOLLGATE_WEBHOOKS_ALLOW_PRIVATE: z.enum(["true", "false"], "must be true or false").default("false"),
  TOLLGATE_WEBHOOKS_DELIVER: z.enum(["true", "false"], "must be true or false").default("true"),
});

/**
 * The environment, validated, as the settings the server runs with. A provider's bad
 * `<PROVIDER>_BASE_URL` is reported with the other bad variables (after them), even when some are bad.
 */
const configSchema = envSchema
  .superRefine(
    (env, ctx) => {
      for (const { variable, message } of providersFromEnv(env).problems) ctx.addIssue({ code: "custom", path: [variable], message });
    },
    { when: () => true },
  )
  .transform((e) => ({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    listenDatabaseUrl: e.TOLLGATE_LISTEN_DATABASE_URL,
    dataDir: e.TOLLGATE_DATA_DIR,
    adminToken: e.TOLLGATE_ADMIN_TOKEN,
    gatewayToken: e.TOLLGATE_GATEWAY_TOKEN,
    /** Without a trailing slash; unset: `http://localhost:<PORT>`. */
    publicUrl: (e.TOLLGATE_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    logLevel: e.TOLLGATE_LOG_LEVEL,
    /** Unset: `text` when stdout is a terminal, `json` otherwise. */
    logFormat: e.TOLLGATE_LOG_FORMAT,
    compromisedRateLimitPerMinute: e.TOLLGATE_COMPROMISED_RATE_LIMIT,
    /** Take the client address from the first hop of `X-Forwarded-For` (behind a trusted proxy only). */
    trustProxy: e.TOLLGATE_TRUST_PROXY === "true",
    /** GitHub secret scanning verification keys; null disables `/external/github/secret-scanning`. */
    githubSecretScanningKeys: e.TOLLGATE_GITHUB_SECRET_SCANNING_KEYS ?? (null as GithubPublicKey[] | null),
    /** Keys for encryption at rest, newest first; null: generated into the data dir on PGlite, none on Postgres. */
    encryptionKeys: e.TOLLGATE_ENCRYPTION_KEY ?? (null as EncryptionKey[] | null),
    /** Per-key rate limit counters shared by every instance; unset: counted per instance, in memory. */
    redisUrl: e.REDIS_URL,
    /** External OIDC issuers whose JWTs are accepted on the management API (src/oidc). */
    trustedIssuers: e.TOLLGATE_TRUSTED_ISSUERS ?? ([] as TrustedIssuer[]),
    /** The OIDC signing key is rotated automatically once it is this old. */
    oidcKeyMaxAgeMs: Math.round(e.TOLLGATE_OIDC_KEY_MAX_AGE_DAYS * 86_400_000),
    /** The gateway's providers (src/proxy/providers.ts): `<PROVIDER>_API_KEY`, `<PROVIDER>_BASE_URL`. */
    providers: providersFromEnv(e).providers,
    /** Price overrides from the `TOLLGATE_PRICES` file (src/proxy/prices.ts). */
    priceOverrides: e.TOLLGATE_PRICES ?? ({} as PriceOverrides),
    /** How long the gateway waits for a provider's answer, or between two chunks of a stream, before a 504. */
    upstreamTimeoutMs: e.TOLLGATE_UPSTREAM_TIMEOUT_MS,
    /** Raw usage reports older than this many days are deleted (rollups are kept). */
    usageRetentionDays: e.TOLLGATE_USAGE_RETENTION_DAYS,
    /** At most this many gateway keys (and as many teams' rules, budgets, counters) cached, least recently used evicted. */
    cacheMaxKeys: e.TOLLGATE_CACHE_MAX_KEYS,
    /** Bearer token for `GET /metrics` (the admin token works too). */
    metricsToken: e.TOLLGATE_METRICS_TOKEN,
    /** How long SIGTERM/SIGINT may take to drain before the process exits anyway. */
    shutdownTimeoutMs: e.TOLLGATE_SHUTDOWN_TIMEOUT_MS,
    /** Webhooks may target private, loopback and link-local addresses (a receiver on this machine or network). */
    webhooksAllowPrivate: e.TOLLGATE_WEBHOOKS_ALLOW_PRIVATE === "true",
    /** This instance sends the webhook outbox (with every other instance that does). */
    webhooksDeliver: e.TOLLGATE_WEBHOOKS_DELIVER === "true",
  }));

/** The settings the server runs with: the environment as `loadConfig` reads it. */
export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset: `FOO= npm start` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** `loadConfig()` at a command's start: an invalid environment prints what is wrong and exits 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
