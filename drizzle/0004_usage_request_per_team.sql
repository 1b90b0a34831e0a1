DROP INDEX "usage_request_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "usage_team_request_uq" ON "usage_events" USING btree ("team_id","request_id");