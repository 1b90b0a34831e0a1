import { readFileSync } from "node:fs";
import { z } from "zod";
import { parseGithubPublicKeys, type GithubPublicKey } from "./leaks/github-signature.js";
import { parseEncryptionKeys, type EncryptionKey } from "./lib/keyring.js";
import { parseTrustedIssuers, type TrustedIssuer } from "./oidc/trusted-config.js";
import { loadPriceOverrides, type PriceOverrides } from "./proxy/prices.js";
import { providersFromEnv, type Providers } from "./proxy/providers.js";

/**
 * GitHub's secret scanning verification keys, given inline (the JSON document GitHub publishes at
 * https://api.github.com/meta/public_keys/secret_scanning) or as the path of a file holding it.
 * A value starting with `{` is JSON; anything else is a path.
 */
const githubKeysSchema = z.string().transform((value, ctx): GithubPublicKey[] => {
  let json = value;
  if (!value.trimStart().startsWith("{")) {
    try {
      json = readFileSync(value, "utf8");
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `cannot read the file "${value}" (${(err as NodeJS.ErrnoException).code ?? "error"}); give GitHub's JSON document inline or the path of a file holding it` });
      return z.NEVER;
    }
  }
  try {
    const keys = parseGithubPublicKeys(json);
    if (keys.length === 0) throw new Error('GitHub public keys: "public_keys" is empty');
    return keys;
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/** `TOLLGATE_ENCRYPTION_KEY`: one or more 32-byte keys, newest first (src/lib/keyring.ts). */
const encryptionKeysSchema = z.string().transform((value, ctx): EncryptionKey[] => {
  try {
    return parseEncryptionKeys(value);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/** `TOLLGATE_TRUSTED_ISSUERS`: JSON inline (starting with `[` or `{`) or the path of a file holding it. */
const trustedIssuersSchema = z.string().transform((value, ctx): TrustedIssuer[] => {
  let json = value;
  if (!/^\s*[[{]/.test(value)) {
    try {
      json = readFileSync(value, "utf8");
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `cannot read the file "${value}" (${(err as NodeJS.ErrnoException).code ?? "error"}); give the JSON inline or the path of a file holding it` });
      return z.NEVER;
    }
  }
  try {
    return parseTrustedIssuers(json);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
    return z.NEVER;
  }
});

/**
 * Every environment variable Tollgate reads, validated once at start.
 * The README's table of variables mirrors this schema.
 */
const envSchema = z.object({
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
  TOLLGATE_COMPROMISED_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  TOLLGATE_TRUST_PROXY: z.enum(["true", "false"], "must be true or false").default("false"),
  TOLLGATE_GITHUB_SECRET_SCANNING_KEYS: githubKeysSchema.optional(),
  TOLLGATE_ENCRYPTION_KEY: encryptionKeysSchema.optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  TOLLGATE_TRUSTED_ISSUERS: trustedIssuersSchema.optional(),
  TOLLGATE_OIDC_KEY_MAX_AGE_DAYS: z.coerce.number().positive().max(3650).default(30),
  TOLLGATE_PRICES: z
    .string()
    .transform((path, ctx): PriceOverrides => {
      try {
        return loadPriceOverrides(path);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  TOLLGATE_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1).default(600_000),
  TOLLGATE_USAGE_RETENTION_DAYS: z.coerce.number().int().min(1, "must be at least 1 (a requestId is idempotent for 24 h)").max(36500).default(30),
  TOLLGATE_CACHE_MAX_KEYS: z.coerce.number().int().min(1).default(100_000),
  TOLLGATE_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  TOLLGATE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  TOLLGATE_WEBHOOKS_ALLOW_PRIVATE: z.enum(["true", "false"], "must be true or false").default("false"),
  TOLLGATE_WEBHOOKS_DELIVER: z.enum(["true", "false"], "must be true or false").default("true"),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  listenDatabaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  gatewayToken: string | undefined;
  publicUrl: string;
  logLevel: "silent" | "error" | "info" | "debug";
  compromisedRateLimitPerMinute: number;
  /** Take the client address from the first hop of `X-Forwarded-For` (behind a trusted proxy only). */
  trustProxy: boolean;
  /** GitHub secret scanning verification keys; null disables `/external/github/secret-scanning`. */
  githubSecretScanningKeys: GithubPublicKey[] | null;
  /** Keys for encryption at rest, newest first; null: generated into the data dir on PGlite, none on Postgres. */
  encryptionKeys: EncryptionKey[] | null;
  /** Per-key rate limit counters shared by every instance; unset: counted per instance, in memory. */
  redisUrl: string | undefined;
  /** External OIDC issuers whose JWTs are accepted on the management API (src/oidc). */
  trustedIssuers: TrustedIssuer[];
  /** The OIDC signing key is rotated automatically once it is this old. */
  oidcKeyMaxAgeMs: number;
  /** The gateway's providers (src/proxy/providers.ts): `<PROVIDER>_API_KEY`, `<PROVIDER>_BASE_URL`. */
  providers: Providers;
  /** Price overrides from the `TOLLGATE_PRICES` file (src/proxy/prices.ts). */
  priceOverrides: PriceOverrides;
  /** How long the gateway waits for a provider's answer, or between two chunks of a stream, before a 504. */
  upstreamTimeoutMs: number;
  /** Raw usage reports older than this many days are deleted (rollups are kept). */
  usageRetentionDays: number;
  /** At most this many gateway keys (and as many teams' rules, budgets, counters) cached, least recently used evicted. */
  cacheMaxKeys: number;
  /** Bearer token for `GET /metrics` (the admin token works too). */
  metricsToken: string | undefined;
  /** How long SIGTERM/SIGINT may take to drain before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Webhooks may target private, loopback and link-local addresses (a receiver on this machine or network). */
  webhooksAllowPrivate: boolean;
  /** This instance sends the webhook outbox (with every other instance that does). */
  webhooksDeliver: boolean;
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset: `FOO= npm start` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  const { providers, problems } = providersFromEnv(cleaned);
  if (!parsed.success || problems.length > 0) {
    const lines = (parsed.error?.issues ?? []).map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${[...lines, ...problems].join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    listenDatabaseUrl: e.TOLLGATE_LISTEN_DATABASE_URL,
    dataDir: e.TOLLGATE_DATA_DIR,
    adminToken: e.TOLLGATE_ADMIN_TOKEN,
    gatewayToken: e.TOLLGATE_GATEWAY_TOKEN,
    publicUrl: (e.TOLLGATE_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    logLevel: e.TOLLGATE_LOG_LEVEL,
    compromisedRateLimitPerMinute: e.TOLLGATE_COMPROMISED_RATE_LIMIT,
    trustProxy: e.TOLLGATE_TRUST_PROXY === "true",
    githubSecretScanningKeys: e.TOLLGATE_GITHUB_SECRET_SCANNING_KEYS ?? null,
    encryptionKeys: e.TOLLGATE_ENCRYPTION_KEY ?? null,
    redisUrl: e.REDIS_URL,
    trustedIssuers: e.TOLLGATE_TRUSTED_ISSUERS ?? [],
    oidcKeyMaxAgeMs: Math.round(e.TOLLGATE_OIDC_KEY_MAX_AGE_DAYS * 86_400_000),
    providers,
    priceOverrides: e.TOLLGATE_PRICES ?? {},
    upstreamTimeoutMs: e.TOLLGATE_UPSTREAM_TIMEOUT_MS,
    usageRetentionDays: e.TOLLGATE_USAGE_RETENTION_DAYS,
    cacheMaxKeys: e.TOLLGATE_CACHE_MAX_KEYS,
    metricsToken: e.TOLLGATE_METRICS_TOKEN,
    shutdownTimeoutMs: e.TOLLGATE_SHUTDOWN_TIMEOUT_MS,
    webhooksAllowPrivate: e.TOLLGATE_WEBHOOKS_ALLOW_PRIVATE === "true",
    webhooksDeliver: e.TOLLGATE_WEBHOOKS_DELIVER === "true",
  };
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
