-- hand-written, data only: repairs what earlier upgrades left behind. Runs in the migration's
-- transaction; the lock holds usage writes of instances still running until it commits, so the
-- rollups are rebuilt from a stable picture (reports wait, none is lost).
LOCK TABLE "usage_events", "usage_rollups", "usage_rollups_team" IN EXCLUSIVE MODE;--> statement-breakpoint
-- 0003 was edited after it shipped to drop saved idempotent answers stored in clear (they can hold
-- a secret shown once); databases that applied it before the edit kept them. Answers saved since
-- are sealed ("tg1." prefix) and stay.
DELETE FROM "idempotency_keys" WHERE "body" IS NOT NULL AND "body" NOT LIKE 'tg1.%';--> statement-breakpoint
-- 0008 created the hourly rollups empty, so reports showed no usage from before the upgrade. Every
-- report recorded since writes a rollup in its hour (or, batched, within seconds of it): a team's
-- raw reports from more than a minute before its first rollup hour (all of them for a team with
-- no rollup) are in no rollup, and are added here, in the hour they were recorded. Reports already
-- deleted by retention cannot be recovered; reports of the upgrade's own hour stay uncounted.
INSERT INTO "usage_rollups" AS u ("team_id", "hour_start", "key_id", "model", "project_id", "user_id", "requests", "cost_micros", "byok_cost_micros", "input_tokens", "output_tokens")
SELECT e."team_id", (e."created_at" / 3600000) * 3600000, coalesce(e."key_id", ''), e."model", coalesce(e."project_id", ''), coalesce(e."user_id", ''),
       count(*), least(coalesce(sum(e."cost_micros") FILTER (WHERE NOT e."byok"), 0), 9007199254740991)::bigint,
       least(coalesce(sum(e."cost_micros") FILTER (WHERE e."byok"), 0), 9007199254740991)::bigint,
       coalesce(sum(e."input_tokens"), 0)::bigint, coalesce(sum(e."output_tokens"), 0)::bigint
  FROM "usage_events" e
  LEFT JOIN (SELECT "team_id", min("hour_start") AS "first_hour" FROM "usage_rollups" GROUP BY "team_id") f ON f."team_id" = e."team_id"
 WHERE f."first_hour" IS NULL OR e."created_at" < f."first_hour" - 60000
 GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT ("team_id", "hour_start", "key_id", "model", "project_id", "user_id") DO UPDATE SET
  "requests" = u."requests" + excluded."requests",
  "cost_micros" = least(u."cost_micros" + excluded."cost_micros", 9007199254740991),
  "byok_cost_micros" = least(u."byok_cost_micros" + excluded."byok_cost_micros", 9007199254740991),
  "input_tokens" = u."input_tokens" + excluded."input_tokens",
  "output_tokens" = u."output_tokens" + excluded."output_tokens";--> statement-breakpoint
-- 0009 filled the team rollups once, while instances of the previous release still wrote only the
-- per-key ones, so the two drifted apart. The team rollups are by definition the per-key ones
-- summed per team, hour and model: rebuilt from them.
DELETE FROM "usage_rollups_team";--> statement-breakpoint
INSERT INTO "usage_rollups_team" ("team_id", "hour_start", "model", "requests", "cost_micros", "byok_cost_micros", "input_tokens", "output_tokens")
SELECT "team_id", "hour_start", "model", sum("requests")::bigint, least(sum("cost_micros"), 9007199254740991)::bigint,
       least(sum("byok_cost_micros"), 9007199254740991)::bigint, sum("input_tokens")::bigint, sum("output_tokens")::bigint
  FROM "usage_rollups" GROUP BY "team_id", "hour_start", "model";
