ALTER TABLE "memberships" ADD COLUMN "token_epoch" text DEFAULT gen_random_uuid()::text NOT NULL;--> statement-breakpoint
ALTER TABLE "oidc_signing_keys" ADD COLUMN "revoked_at" bigint;