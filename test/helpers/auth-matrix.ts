import { describe, expect, it } from "vitest";
import { createTeamFx, type TeamFx } from "./fixtures.js";
import type { App } from "../../src/http/context.js";
import { ADMIN_TOKEN, call, GATEWAY_TOKEN } from "./harness.js";

export type RouteCase = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The OpenAPI path, e.g. `/v1/api-keys/{id}` (checked against the app's routes). */
  route: string;
  /**
   * team: acts on a team named by `?teamId=` or the path (another team: 403).
   * resource: a resource addressed by id (another team's: 404, never leaked).
   * self: the caller's own user-level data. admin: needs the admin token. gateway: the service token.
   * key: an end user's gateway key (`make` returns it as `token`): the gateway's OpenAI- and
   * Anthropic-compatible routes, where every other token is a 401.
   */
  scope: "team" | "resource" | "self" | "admin" | "gateway" | "key";
  /** Needs OWNER/MEMBER (a DEVELOPER gets 403). `owner`: needs OWNER (a MEMBER gets 403 too). */
  write: boolean | "owner";
  /** Builds a valid request against `team` (creating whatever it addresses). */
  make: (team: TeamFx) => Promise<{ path: string; body?: unknown; token?: string; app?: App; headers?: Record<string, string> }>;
};

const BAD_TOKENS: [string, string][] = [
  ["a malformed token", "garbage"],
  ["a well-formed but unknown tgp_ token", "tgp_" + "A".repeat(43) + "AAAAAA"],
  ["a gateway key used as a bearer token", "tgk_" + "B".repeat(49)],
];

/** The error code, with the gateway routes' provider shapes (OpenAI `invalid_api_key`, Anthropic `authentication_error`) read as ours. */
function codeOf(rc: RouteCase, body: any): string | undefined {
  if (rc.scope !== "key") return body?.error?.code;
  const c = body?.error?.code ?? body?.error?.type;
  return c === "invalid_api_key" || c === "authentication_error" ? "unauthorized" : c;
}

/** Generates the auth matrix for each route: no token, bad tokens, other team, too-weak role. */
export function describeAuthMatrix(cases: RouteCase[]) {
  for (const rc of cases) {
    describe(`${rc.method} ${rc.route} auth`, () => {
      it("401 without a token", async () => {
        const team = await createTeamFx();
        const req = await rc.make(team);
        const r = await call(rc.method, req.path, { body: req.body, token: null, app: req.app, headers: req.headers });
        expect(r.status).toBe(401);
        expect(codeOf(rc, r.body)).toBe("unauthorized");
      });

      for (const [label, token] of BAD_TOKENS) {
        it(`401 with ${label}`, async () => {
          const team = await createTeamFx();
          const req = await rc.make(team);
          const r = await call(rc.method, req.path, { body: req.body, token, app: req.app, headers: req.headers });
          expect(r.status).toBe(401);
          expect(codeOf(rc, r.body)).toBe("unauthorized");
        });
      }

      if (rc.scope === "team" || rc.scope === "resource") {
        it(`${rc.scope === "team" ? 403 : 404} for a user of another team`, async () => {
          const [team, other] = await Promise.all([createTeamFx(), createTeamFx()]);
          const req = await rc.make(team);
          const r = await call(rc.method, req.path, { body: req.body, token: other.owner.token });
          expect(r.status).toBe(rc.scope === "team" ? 403 : 404);
          expect(r.body.error.code).toBe(rc.scope === "team" ? "forbidden" : "not_found");
        });

        it("403 for the admin and gateway tokens (instance tokens are not team members)", async () => {
          const team = await createTeamFx();
          const req = await rc.make(team);
          for (const token of [ADMIN_TOKEN, GATEWAY_TOKEN]) {
            const r = await call(rc.method, req.path, { body: req.body, token });
            expect(r.status).toBe(403);
          }
        });
      }

      if (rc.write) {
        it(`403 for a DEVELOPER${rc.write === "owner" ? " and a MEMBER" : ""}`, async () => {
          const team = await createTeamFx();
          const weak = rc.write === "owner" ? [team.developer, team.member] : [team.developer];
          for (const u of weak) {
            const req = await rc.make(team);
            const r = await call(rc.method, req.path, { body: req.body, token: u.token });
            expect(r.status).toBe(403);
            expect(r.body.error.code).toBe("forbidden");
          }
        });
      }

      if (rc.scope === "admin") {
        it("403 for a user token", async () => {
          const team = await createTeamFx();
          const req = await rc.make(team);
          const r = await call(rc.method, req.path, { body: req.body, token: team.owner.token });
          expect(r.status).toBe(403);
        });
      }

      if (rc.scope === "gateway") {
        it("403 for user and admin tokens", async () => {
          const team = await createTeamFx();
          const req = await rc.make(team);
          for (const token of [team.owner.token, ADMIN_TOKEN]) {
            const r = await call(rc.method, req.path, { body: req.body, token });
            expect(r.status).toBe(403);
          }
        });
      }

      if (rc.scope === "key") {
        it("401 for user, admin and gateway service tokens (only gateway keys call it)", async () => {
          const team = await createTeamFx();
          const req = await rc.make(team);
          for (const token of [team.owner.token, ADMIN_TOKEN, GATEWAY_TOKEN]) {
            const r = await call(rc.method, req.path, { body: req.body, token, app: req.app, headers: req.headers });
            expect(r.status).toBe(401);
          }
        });
      }

      it("succeeds for an authorized caller (the matrix tests a route that works)", async () => {
        const team = await createTeamFx();
        const req = await rc.make(team);
        const token = req.token ?? (rc.scope === "admin" ? ADMIN_TOKEN : rc.scope === "gateway" ? GATEWAY_TOKEN : team.owner.token);
        const r = await call(rc.method, req.path, { body: req.body, token, app: req.app, headers: req.headers });
        expect(r.status, r.text).toBeLessThan(300);
      });
    });
  }
}
