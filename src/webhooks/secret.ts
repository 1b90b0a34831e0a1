import { randomBytes } from "node:crypto";
import type { SealedColumn } from "../lib/sealed-columns.js";

/** The additional data an endpoint's secret is sealed with: it opens only in its own row of its own team. */
export const aadOf = (teamId: string, webhookId: string) => `webhook:${teamId}:${webhookId}`;

/** The sealed column, for `npm run keys:reencrypt` and the start-up check. */
export const webhookSealedColumn: SealedColumn = {
  label: "webhook signing secrets",
  table: "webhook_endpoints",
  key: ["id"],
  column: "sealed_secret",
  aadColumns: ["team_id"],
  aad: (row) => aadOf(String(row.team_id), String(row.id)),
};

/** A new signing secret: `whsec_` and 32 random bytes in base64 (the Standard Webhooks form). */
export const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
