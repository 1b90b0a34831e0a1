import type { App } from "../http/context.js";
import { registerRotateOidcKey } from "./v1_admin_oidc_rotate.js";
import { registerCreateOidcToken } from "./v1_projects_oidc_token.js";
import { registerWellKnown } from "./well_known.js";

/** The OIDC area's routes: token issuance, key rotation, and the public discovery documents. */
export function registerOidcRoutes(app: App): void {
  registerCreateOidcToken(app);
  registerRotateOidcKey(app);
  registerWellKnown(app);
}
