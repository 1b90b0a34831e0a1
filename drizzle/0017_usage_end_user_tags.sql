ALTER TABLE "usage_events" ADD COLUMN "end_user" text;--> statement-breakpoint
ALTER TABLE "usage_events" ADD COLUMN "tags" text[];--> statement-breakpoint
CREATE INDEX "usage_attributed_idx" ON "usage_events" USING btree ("team_id","created_at") WHERE "usage_events"."end_user" is not null or "usage_events"."tags" is not null;