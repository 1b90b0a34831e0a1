ALTER TABLE "api_keys" ALTER COLUMN "metadata" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "metadata" SET DEFAULT '{}'::json;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "disabled_at" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_digest" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "previous_digest_expires_at" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_rpm" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_tpm" integer;--> statement-breakpoint
CREATE INDEX "api_keys_previous_digest_idx" ON "api_keys" USING btree ("previous_digest");