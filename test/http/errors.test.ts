import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describe, expect, it } from "vitest";
import { ApiError, ERROR_CODES, errorOfStatus, type ErrorCode } from "../../src/http/errors.js";
import { call, getHarness } from "../helpers/harness.js";

/** One error model: every code has one status, set in one table; no code is left unused. */
describe("the error codes", () => {
  it("each code has its one status", () => {
    expect(ERROR_CODES).toEqual({
      bad_request: 400,
      rule_chain_invalid: 400,
      provider_not_configured: 400,
      unauthorized: 401,
      quota_for_entity_exceeded: 402,
      forbidden: 403,
      not_found: 404,
      method_not_allowed: 405,
      conflict: 409,
      idempotency_key_in_use: 409,
      request_id_reused: 409,
      payload_too_large: 413,
      idempotency_key_reused: 422,
      rate_limit_exceeded: 429,
      client_closed_request: 499,
      internal_error: 500,
      upstream_unavailable: 502,
      service_unavailable: 503,
      encryption_key_missing: 503,
      upstream_timeout: 504,
    });
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it("an ApiError's status is its code's, and its body names the code", () => {
    for (const [code, status] of Object.entries(ERROR_CODES) as [ErrorCode, number][]) {
      const err = new ApiError(code, "text", { extra: 1 }, { "retry-after": "1" });
      expect(err.status, code).toBe(status);
      expect(err.toBody(), code).toEqual({ error: { code, message: "text", extra: 1 } });
    }
  });

  it("every code is thrown somewhere in src, and every ApiError thrown names a code of the table", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".ts") && p !== join("src", "client", "schema.ts")) files.push(p);
      }
    };
    walk("src");
    const text = files
      .map((f) => {
        const src = readFileSync(f, "utf8");
        // The table itself, the status map and the default messages do not count as uses.
        return f === join("src", "http", "errors.ts") ? src.replace(/^\s*(\w+: \d+|\d+: "\w+"|\w+: "[^"]*"),$/gm, "") : src;
      })
      .join("\n");
    for (const code of Object.keys(ERROR_CODES)) expect(text, `"${code}" is never used`).toContain(`"${code}"`);
    const thrown = [...text.matchAll(/new ApiError\(\s*([^,\s)]+)/g)].map((m) => m[1]!);
    expect(thrown.length).toBeGreaterThan(30);
    for (const first of thrown) {
      if (first === "code") continue; // errorOfStatus: a code of its own map
      expect(first, "the first argument is a code literal, not a status").toMatch(/^"[a-z_]+"$/);
      expect(Object.keys(ERROR_CODES)).toContain(first.slice(1, -1));
    }
  });
});

describe("errorOfStatus: an HTTP status's error", () => {
  it("keeps the status and gives it its generic code", () => {
    const cases: [number, ErrorCode, number][] = [
      [400, "bad_request", 400],
      [401, "unauthorized", 401],
      [403, "forbidden", 403],
      [404, "not_found", 404],
      [405, "method_not_allowed", 405],
      [409, "conflict", 409],
      [413, "payload_too_large", 413],
      [429, "rate_limit_exceeded", 429],
      [500, "internal_error", 500],
      [502, "upstream_unavailable", 502],
      [503, "service_unavailable", 503],
      [504, "upstream_timeout", 504],
      // No generic code: a 4xx is a bad request, a 5xx an internal error; never a specific code's meaning.
      [402, "bad_request", 400],
      [415, "bad_request", 400],
      [418, "bad_request", 400],
      [422, "bad_request", 400],
      [501, "internal_error", 500],
      [505, "internal_error", 500],
    ];
    for (const [status, code, answered] of cases) {
      const err = errorOfStatus(status, "why");
      expect([err.code, err.status, err.message], String(status)).toEqual([code, answered, "why"]);
    }
    expect(errorOfStatus(504).message).toBe("Gateway timeout.");
  });
});

describe("the app's answer to an HTTPException", () => {
  it("answers its status with that status's code, in the envelope (a timeout middleware's 504 stays a 504)", async () => {
    const { makeApp } = await getHarness();
    const app = makeApp();
    const statuses: ContentfulStatusCode[] = [504, 503, 401, 404, 413, 429, 418, 400];
    for (const s of statuses) {
      app.get(`/test-http-exception/${s}`, () => {
        throw new HTTPException(s, { message: `thrown ${s}` });
      });
    }
    app.get("/test-client-gone", () => {
      throw new ApiError("client_closed_request", "The client closed the request.");
    });
    const expected: Record<number, [number, ErrorCode]> = {
      504: [504, "upstream_timeout"],
      503: [503, "service_unavailable"],
      401: [401, "unauthorized"],
      404: [404, "not_found"],
      413: [413, "payload_too_large"],
      429: [429, "rate_limit_exceeded"],
      418: [400, "bad_request"],
      400: [400, "bad_request"],
    };
    for (const s of statuses) {
      const r = await call("GET", `/test-http-exception/${s}`, { app });
      expect([r.status, r.body?.error?.code], String(s)).toEqual(expected[s]);
      expect(r.body.error.message, String(s)).toBe(`thrown ${s}`);
      expect(r.headers.get("x-request-id")).toMatch(/^req_/);
    }
    // Nobody reads it, but the request log and metrics see 499, not a 400.
    const gone = await call("GET", "/test-client-gone", { app });
    expect(gone.status).toBe(499);
    expect(gone.text).toBe("");
    expect(gone.headers.get("x-request-id")).toMatch(/^req_/);
  });
});
