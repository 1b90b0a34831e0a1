ALTER TABLE "spend_counters" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- hand-written: saved idempotent answers were stored in clear (they can hold a secret shown once);
-- they are stored encrypted from now on, and the old ones are dropped (a retry within 24 h of an
-- upgrade runs the request again).
DELETE FROM "idempotency_keys";
