import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { executePrepared } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/rows.js";
import { budgets, teams, type BudgetScope } from "../../src/db/schema.js";
import { GatewayState } from "../../src/gateway/state.js";
import { currentPeriod, REFRESH_PERIODS } from "../../src/quotas/period.js";
import { recordUsageSql } from "../../src/quotas/record-usage.js";
import { DEFAULT_SCOPE_ID, entitiesOf, loadBudgetsInScope, pickBudgets, type Budget, type Subject } from "../../src/quotas/state.js";
import { getHarness, uniq } from "../helpers/harness.js";

/**
 * Which budget applies to each entity a request is in scope of (its key, team, project, user) is
 * decided four times: the usage statement's `pick` CTE (record-usage.ts: the spend it counts),
 * `loadBudgetsInScope` (state.ts: authorize without the cache), the gateway cache's `plan()`
 * (gateway/state.ts: authorize) and `pickBudgets` over a team's rows (budgets.ts: moving counters
 * when a budget changes). For generated budget sets (own, team-default `*`, archived, hard/soft,
 * active or not, any period; plus `*` rows of kinds that have no default) and generated subjects
 * (a key or none, a project or none, a user or none), the four must pick the same budget per
 * entity, and the statement must write a counter exactly for the entities it picked a budget
 * for, in that budget's current period as TypeScript computes it.
 *
 * A failure prints fast-check's seed; rerun with PROPERTY_SEED=<seed> to reproduce it.
 */

const POOL = 3; // keys, projects and users per team
const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;
const RUNS = 12;
const TEAMS_PER_RUN = 20;

type Slot = { scopeType: BudgetScope; id: (team: string) => string };
/** Every row a team's budgets can hold for the pools' entities (the table allows one per scope). */
const SLOTS: Slot[] = [
  { scopeType: "team", id: (t) => t },
  { scopeType: "project", id: () => DEFAULT_SCOPE_ID },
  { scopeType: "user", id: () => DEFAULT_SCOPE_ID },
  // No API writes these; the table does not forbid them: none of the four may read them as a default.
  { scopeType: "team", id: () => DEFAULT_SCOPE_ID },
  { scopeType: "api_key", id: () => DEFAULT_SCOPE_ID },
  ...Array.from({ length: POOL }, (_, i): Slot[] => [
    { scopeType: "api_key", id: (t) => `${t}-k${i}` },
    { scopeType: "project", id: (t) => `${t}-p${i}` },
    { scopeType: "user", id: (t) => `${t}-u${i}` },
  ]).flat(),
];
const STRAY_DEFAULTS = new Set([3, 4]);

const budgetSpec = fc.record({
  archived: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 2, arbitrary: fc.constant(true) }),
  active: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  enforcement: fc.constantFrom("soft" as const, "hard" as const),
  refreshPeriod: fc.constantFrom(...REFRESH_PERIODS),
  anchorAgo: fc.integer({ min: 0, max: 400 * 86_400_000 }),
});

const member = fc.option(fc.nat({ max: POOL - 1 }), { nil: null, freq: 4 });
const teamCase = fc.record({
  budgets: fc.tuple(
    ...SLOTS.map((_, i) =>
      fc.oneof({ weight: STRAY_DEFAULTS.has(i) ? 4 : 2, arbitrary: fc.constant(null) }, { weight: STRAY_DEFAULTS.has(i) ? 1 : 3, arbitrary: budgetSpec }),
    ),
  ),
  subjects: fc.array(fc.record({ key: member, project: member, user: member }), { minLength: 1, maxLength: 4 }),
});

type Pick = Map<string, string>; // entity ("scopeType:scopeId") -> budget id
const ek = (scopeType: string, scopeId: string) => `${scopeType}:${scopeId}`;
const asObject = (m: Pick) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

/** How often each way of choosing occurred (the generator must reach them all). */
const seen = { own: 0, default: 0, defaultOverArchivedOwn: 0, archivedOwn: 0, none: 0, strayDefaultIgnored: 0 };

describe("budgets in scope: the usage statement's `pick` and TypeScript's choices", () => {
  it("pick the same budget for every entity of generated subjects and budget sets", async () => {
    const { database } = await getHarness();
    const db = database.db;
    const now = Date.now();
    // The cache authorize reads (trusted: plan() decides, not the database fallback).
    const gateway = new GatewayState(db, { cache: true, trusted: true });
    expect(gateway.isTrusted).toBe(true);

    await fc.assert(
      fc.asyncProperty(fc.array(teamCase, { minLength: 1, maxLength: TEAMS_PER_RUN, size: "max" }), async (cases) => {
        const batch = cases.map((c) => {
          const team = uniq("team");
          const rows: Budget[] = [];
          c.budgets.forEach((spec, i) => {
            if (!spec) return;
            const slot = SLOTS[i]!;
            rows.push({
              id: `${team}-b${i}`,
              teamId: team,
              scopeType: slot.scopeType,
              scopeId: slot.id(team),
              limitMicros: (i + 1) * 1_000_000, // one per budget of the team: names it in authorize's answer
              refreshPeriod: spec.refreshPeriod,
              periodAnchor: now - spec.anchorAgo,
              includeByok: false,
              alertThresholds: [],
              active: spec.active,
              archived: spec.archived,
              enforcement: spec.enforcement,
              createdAt: now - spec.anchorAgo,
              updatedAt: now,
            });
          });
          const subjects: Subject[] = c.subjects.map((s) => ({
            teamId: team,
            keyId: s.key === null ? null : `${team}-k${s.key}`,
            projectId: s.project === null ? null : `${team}-p${s.project}`,
            userId: s.user === null ? null : `${team}-u${s.user}`,
          }));
          return { team, rows, subjects };
        });

        await db.insert(teams).values(batch.map(({ team }) => ({ id: team, slug: team, name: team, createdAt: now })));
        const allRows = batch.flatMap((b) => b.rows);
        if (allRows.length > 0) await db.insert(budgets).values(allRows);

        // The usage statement, as recordUsage runs it: one report per subject.
        const events = batch.flatMap(({ team, subjects }) =>
          subjects.map((s, j) => ({
            id: `${team}-e${j}`,
            request_id: `r${j}`,
            team_id: team,
            key_id: s.keyId,
            project_id: s.projectId,
            user_id: s.userId,
            model: "m",
            cost_micros: 1,
            byok: false,
            input_tokens: null,
            output_tokens: null,
            created_at: now,
          })),
        );
        const statementSubjects = batch.flatMap(({ subjects }) =>
          subjects.map((s) => ({ team_id: s.teamId, key_id: s.keyId, project_id: s.projectId, user_id: s.userId })),
        );
        const [result] = rowsOf<{
          budgets: { team_id: string; scope_type: string; scope_id: string; budget: { id: string } }[];
          counters: { team_id: string; scope_type: string; scope_id: string; period_start: number | string; period_end: number | string | null }[];
        }>(await executePrepared(db, recordUsageSql(events, statementSubjects, now)));
        const sqlPick = new Map<string, Pick>(batch.map(({ team }) => [team, new Map()]));
        for (const b of result!.budgets) sqlPick.get(b.team_id)!.set(ek(b.scope_type, b.scope_id), b.budget.id);

        for (const { team, rows, subjects } of batch) {
          const byId = new Map(rows.map((r) => [r.id, r]));
          const byLimit = new Map(rows.map((r) => [r.limitMicros / 1_000_000, r.id]));
          const union: Pick = new Map();
          const describeCase = () =>
            JSON.stringify({
              budgets: rows.map((r) => ({ id: r.id, scope: ek(r.scopeType, r.scopeId), archived: r.archived, active: r.active })),
              subjects,
            });
          for (const s of subjects) {
            const entities = entitiesOf(s);
            const loaded: Pick = new Map((await loadBudgetsInScope(db, s)).map((p) => [ek(p.entity.scopeType, p.entity.scopeId), p.budget.id]));
            const picked: Pick = new Map(pickBudgets(entities, rows).map((p) => [ek(p.entity.scopeType, p.entity.scopeId), p.budget.id]));
            const view = JSON.parse((await gateway.quotaView(s, now)).json) as { scope: string; scopeId: string; limitAmount: number }[];
            const cached: Pick = new Map(view.map((q) => [ek(q.scope, q.scopeId), byLimit.get(q.limitAmount)!]));
            const fromSql: Pick = new Map(
              entities.flatMap((e) => {
                const id = sqlPick.get(team)!.get(ek(e.scopeType, e.scopeId));
                return id === undefined ? [] : [[ek(e.scopeType, e.scopeId), id] as const];
              }),
            );
            const answers = {
              "usage statement (pick)": asObject(fromSql),
              loadBudgetsInScope: asObject(loaded),
              "gateway cache (plan)": asObject(cached),
              pickBudgets: asObject(picked),
            };
            const reference = answers["usage statement (pick)"];
            for (const [side, answer] of Object.entries(answers)) {
              expect(answer, `${side} vs the usage statement for subject ${JSON.stringify(s)} of ${describeCase()}`).toEqual(reference);
            }
            for (const [k, id] of fromSql) union.set(k, id);

            // Coverage: which way each entity's budget was chosen.
            for (const e of entities) {
              const own = rows.find((r) => r.scopeType === e.scopeType && r.scopeId === e.scopeId);
              const dflt = rows.find((r) => r.scopeType === e.scopeType && r.scopeId === DEFAULT_SCOPE_ID);
              const chosen = fromSql.get(ek(e.scopeType, e.scopeId));
              if (chosen === undefined) seen.none++;
              else if (own && chosen === own.id) seen[own.archived ? "archivedOwn" : "own"]++;
              else seen[own ? "defaultOverArchivedOwn" : "default"]++;
              if (dflt && !dflt.archived && (e.scopeType === "team" || e.scopeType === "api_key")) seen.strayDefaultIgnored++;
            }
          }
          // The statement picked budgets only for its subjects' entities, and wrote a counter for each, in
          // the budget's current period as TypeScript computes it.
          expect(asObject(sqlPick.get(team)!), `entities given a budget by the statement, ${describeCase()}`).toEqual(asObject(union));
          const counters = result!.counters.filter((c) => c.team_id === team);
          expect(counters.map((c) => ek(c.scope_type, c.scope_id)).sort()).toEqual([...union.keys()].sort());
          for (const c of counters) {
            const b = byId.get(union.get(ek(c.scope_type, c.scope_id))!)!;
            const p = currentPeriod(b.refreshPeriod, now, b.periodAnchor);
            expect({ start: Number(c.period_start), end: c.period_end === null ? null : Number(c.period_end) }).toEqual(p);
          }
        }
      }),
      { numRuns: RUNS, seed },
    );
    // A generator that never produced some way of choosing would prove nothing about it.
    for (const [k, n] of Object.entries(seen)) expect(n, `cases where ${k}`).toBeGreaterThan(0);
  });
});
