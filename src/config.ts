import { z } from "zod";

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
};

export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset: `FOO= npm start` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
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
  };
}
