import { z } from "zod";
import { ROLES, type Role } from "../db/schema.js";

/** Asymmetric JWS algorithms an external issuer may use (never `none`, never an HMAC). */
export const ASYMMETRIC_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

/**
 * One trusted external OIDC issuer mapping (`TOLLGATE_TRUSTED_ISSUERS`): tokens from `issuer`
 * for `audience` whose `sub` matches `subject` act on `team` with `role`.
 */
export type TrustedIssuer = {
  issuer: string;
  audience: string;
  /** Where the issuer's keys are; default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl: string | null;
  /** The `sub` pattern: `*` matches any run of characters, everything else is literal; the whole `sub` must match. */
  subject: string;
  /** A team id (`team_…`) or slug, as configured. */
  team: string;
  /**
   * The team's id, resolved once at start (`bindTrustedIssuers`): requests act on this team only,
   * so a team created later with a mapped slug never receives a mapping's identities.
   */
  teamId?: string;
  role: Role;
  algorithms: string[];
};

const entrySchema = z.strictObject({
  issuer: z.url("must be an absolute URL").refine((u) => !u.includes("#"), "must not contain '#'"),
  audience: z.string().min(1),
  jwksUrl: z.url("must be an absolute URL").optional(),
  subject: z.string().min(1),
  team: z.string().min(1),
  role: z.enum(ROLES),
  algorithms: z.array(z.enum(ASYMMETRIC_ALGS)).min(1).optional(),
});

/**
 * Parses `TOLLGATE_TRUSTED_ISSUERS`: a JSON array of mappings (or one mapping), inline or in a file
 * whose path is given. Throws an Error whose message names what is wrong.
 */
export function parseTrustedIssuers(json: string): TrustedIssuer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const out: TrustedIssuer[] = [];
  list.forEach((item, i) => {
    const r = entrySchema.safeParse(item);
    if (!r.success) {
      throw new Error(r.error.issues.map((iss) => `entry ${i + 1}${iss.path.length ? `.${iss.path.join(".")}` : ""}: ${iss.message}`).join("; "));
    }
    const e = r.data;
    out.push({
      issuer: e.issuer,
      audience: e.audience,
      jwksUrl: e.jwksUrl ?? null,
      subject: e.subject,
      team: e.team,
      role: e.role,
      algorithms: e.algorithms ?? [...ASYMMETRIC_ALGS],
    });
  });
  return out;
}

/** A subject pattern as an anchored regular expression (`*`: any run of characters). */
export function subjectMatcher(pattern: string): RegExp {
  return new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$", "s");
}
