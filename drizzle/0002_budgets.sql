CREATE TABLE "budgets" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" text NOT NULL,
	"limit_micros" bigint NOT NULL,
	"refresh_period" text NOT NULL,
	"period_anchor" bigint NOT NULL,
	"include_byok" boolean DEFAULT false NOT NULL,
	"alert_thresholds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spend_counters" (
	"team_id" text NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" text NOT NULL,
	"period_start" bigint NOT NULL,
	"period_end" bigint,
	"spend_micros" bigint DEFAULT 0 NOT NULL,
	"byok_spend_micros" bigint DEFAULT 0 NOT NULL,
	"alerts_sent" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "spend_counters_team_id_scope_type_scope_id_pk" PRIMARY KEY("team_id","scope_type","scope_id")
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"team_id" text NOT NULL,
	"key_id" text,
	"project_id" text,
	"user_id" text,
	"model" text NOT NULL,
	"cost_micros" bigint NOT NULL,
	"byok" boolean NOT NULL,
	"input_tokens" integer,
	"output_tokens" integer,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spend_counters" ADD CONSTRAINT "spend_counters_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "budgets_scope_uq" ON "budgets" USING btree ("team_id","scope_type","scope_id");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_request_uq" ON "usage_events" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "usage_team_idx" ON "usage_events" USING btree ("team_id","id");