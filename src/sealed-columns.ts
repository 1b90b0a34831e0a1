import { byokSealedColumn } from "./byok/queries.js";
import { oidcSealedColumn } from "./oidc/keys.js";
import type { SealedColumn } from "./lib/sealed-columns.js";
import { webhookSealedColumn } from "./webhooks/secret.js";

/**
 * Every column holding values sealed with the keyring (src/lib/keyring.ts): re-sealed by
 * `npm run keys:reencrypt` and checked at start. An area that stores sealed values adds its
 * column here (see `SealedColumn`).
 */
export const SEALED_COLUMNS: SealedColumn[] = [byokSealedColumn, oidcSealedColumn, webhookSealedColumn];
