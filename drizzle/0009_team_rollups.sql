CREATE TABLE "usage_rollups_team" (
	"team_id" text NOT NULL,
	"hour_start" bigint NOT NULL,
	"model" text NOT NULL,
	"requests" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"byok_cost_micros" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	CONSTRAINT "usage_rollups_team_team_id_hour_start_model_pk" PRIMARY KEY("team_id","hour_start","model")
);
--> statement-breakpoint
-- The rollups kept so far, summed per team, hour and model (the usage statement keeps both from now on).
INSERT INTO "usage_rollups_team" ("team_id", "hour_start", "model", "requests", "cost_micros", "byok_cost_micros", "input_tokens", "output_tokens")
SELECT "team_id", "hour_start", "model", sum("requests"), sum("cost_micros"), sum("byok_cost_micros"), sum("input_tokens"), sum("output_tokens")
  FROM "usage_rollups" GROUP BY "team_id", "hour_start", "model";
