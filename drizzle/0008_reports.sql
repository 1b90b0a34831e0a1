CREATE TABLE "usage_rollups" (
	"team_id" text NOT NULL,
	"hour_start" bigint NOT NULL,
	"key_id" text NOT NULL,
	"model" text NOT NULL,
	"project_id" text NOT NULL,
	"user_id" text NOT NULL,
	"requests" bigint NOT NULL,
	"cost_micros" bigint NOT NULL,
	"byok_cost_micros" bigint NOT NULL,
	"input_tokens" bigint NOT NULL,
	"output_tokens" bigint NOT NULL,
	CONSTRAINT "usage_rollups_team_id_hour_start_key_id_model_project_id_user_id_pk" PRIMARY KEY("team_id","hour_start","key_id","model","project_id","user_id")
);
