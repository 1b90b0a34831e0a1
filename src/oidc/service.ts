import type { Deps } from "../http/context.js";
import { ExternalVerifier } from "./external.js";
import { TokenVerifier } from "./tokens.js";

/**
 * An app's OIDC parts: the verifier of Tollgate's own project tokens (for authorize and usage,
 * with its cache) and, when `TOLLGATE_TRUSTED_ISSUERS` names any, the authenticator of external
 * issuers' JWTs on the management API.
 */
export function createOidc(deps: Pick<Deps, "db" | "config" | "log">) {
  const external = new ExternalVerifier(deps.db, deps.config.trustedIssuers, deps.log);
  return {
    tokens: new TokenVerifier(deps.db, deps.config.publicUrl),
    external: external.configured ? external.verify : undefined,
  };
}
