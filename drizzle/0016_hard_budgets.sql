CREATE TABLE "budget_leases" (
	"team_id" text NOT NULL,
	"scope_type" text NOT NULL,
	"scope_id" text NOT NULL,
	"instance_id" text NOT NULL,
	"period_start" bigint NOT NULL,
	"amount_micros" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "budget_leases_team_id_scope_type_scope_id_instance_id_pk" PRIMARY KEY("team_id","scope_type","scope_id","instance_id")
);
--> statement-breakpoint
ALTER TABLE "budgets" ADD COLUMN "enforcement" text DEFAULT 'soft' NOT NULL;--> statement-breakpoint
ALTER TABLE "budget_leases" ADD CONSTRAINT "budget_leases_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;