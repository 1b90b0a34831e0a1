CREATE TABLE "rules" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"type" text NOT NULL,
	"match_model" text NOT NULL,
	"rewrite_model" text,
	"reason" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rules" ADD CONSTRAINT "rules_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rules_team_idx" ON "rules" USING btree ("team_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "rules_team_match_enabled_uq" ON "rules" USING btree ("team_id","match_model") WHERE "rules"."enabled";