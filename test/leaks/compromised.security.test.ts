import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import type { Db } from "../../src/db/client.js";
import { systemClock } from "../../src/lib/clock.js";
import { createLogger } from "../../src/lib/logger.js";
import { createKeyFx, createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness, logLines, type Res } from "../helpers/harness.js";
import { badChecksum, COMPROMISED, keyRow, leakApp, newIp, report, unknownKey } from "./helpers.js";

/** What a client sees, minus the per-request id. */
function visible(r: Res) {
  const headers = [...r.headers.entries()].filter(([k]) => k !== "x-request-id").sort();
  return { status: r.status, text: r.text, headers };
}

/** An app whose database handle records every call made on it (method and SQL text). */
async function countingApp() {
  const h = await getHarness();
  const dialect = new PgDialect();
  const calls: string[] = [];
  const db = new Proxy(h.database.db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const q = prop === "execute" ? `: ${dialect.sqlToQuery(args[0] as never).sql.replace(/\s+/g, " ").trim()}` : "";
        calls.push(`${String(prop)}${q}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Db;
  const app = createApp({ db, config: { ...h.config, trustProxy: true }, clock: systemClock, log: createLogger("silent"), gateway: h.gateway, keyring: h.keyring });
  return { app, calls };
}

describe("POST /external/compromised_secret: no oracle", () => {
  it("answers a real, an unknown, an already leaked, a deleted and a malformed key exactly alike", async () => {
    const team = await createTeamFx();
    const [live, leaked, deleted] = [await createKeyFx(team), await createKeyFx(team), await createKeyFx(team)];
    const app = await leakApp();
    await report(app, leaked.apiKeyString);
    await call("DELETE", `/v1/api-keys/${deleted.apiKey.id}`, { token: team.owner.token });

    const candidates = {
      live: live.apiKeyString,
      unknown: unknownKey(),
      alreadyLeaked: leaked.apiKeyString,
      deleted: deleted.apiKeyString,
      badChecksum: badChecksum(live.apiKeyString),
      notAKey: "hello",
      empty: "",
      personalToken: "tgp_" + live.apiKeyString.slice(4),
    };
    const seen: Record<string, ReturnType<typeof visible>> = {};
    for (const [label, secret] of Object.entries(candidates)) seen[label] = visible(await report(app, secret));

    expect(seen.live).toEqual({
      status: 202,
      text: JSON.stringify({ status: "received" }),
      headers: expect.arrayContaining([["content-type", "application/json"]]),
    });
    for (const [label, v] of Object.entries(seen)) expect(v, label).toEqual(seen.live);
    expect((await keyRow(live.apiKey.id)).leakedAt).not.toBeNull();
  });

  it("does the same database work for a real and an unknown key, and none for a bad checksum or bad input", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const { app, calls } = await countingApp();

    const work = async (send: () => Promise<Res>) => {
      calls.length = 0;
      const r = await send();
      return { status: r.status, calls: [...calls] };
    };
    const real = await work(() => report(app, key.apiKeyString));
    const unknown = await work(() => report(app, unknownKey()));
    const bad = await work(() => report(app, badChecksum()));
    const malformed = await work(() =>
      call("POST", COMPROMISED, { app, raw: "{", headers: { "content-type": "application/json", "x-forwarded-for": newIp() } }),
    );

    expect(real.calls).toHaveLength(1);
    expect(real.calls[0]).toMatch(/^execute: with input .* update api_keys .* insert into audit_events/);
    expect(unknown).toEqual({ status: 202, calls: real.calls });
    expect(real.status).toBe(202);
    expect(bad).toEqual({ status: 202, calls: [] });
    expect(malformed).toEqual({ status: 400, calls: [] });
    expect((await keyRow(key.apiKey.id)).leakedAt).not.toBeNull();
  });

  it("never writes the reported secret to a log line", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const app = await leakApp();
    const bad = badChecksum();
    await report(app, key.apiKeyString);
    await report(app, bad);
    const logged = logLines.join("\n");
    expect(logged).toContain(COMPROMISED);
    expect(logged).not.toContain(key.apiKeyString);
    expect(logged).not.toContain(bad);
  });
});

describe("POST /external/compromised_secret: rate limit per client address", () => {
  it("past the limit: 429 rate_limit_exceeded with Retry-After, and the key is not touched", async () => {
    const team = await createTeamFx();
    const key = await createKeyFx(team);
    const app = await leakApp({ compromisedRateLimitPerMinute: 3 });
    const ip = newIp();
    for (let i = 0; i < 3; i++) expect((await report(app, unknownKey(), ip)).status).toBe(202);

    const r = await report(app, key.apiKeyString, ip);
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe("rate_limit_exceeded");
    expect(r.body.error.message).toMatch(/retry/i);
    const retryAfter = Number(r.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await keyRow(key.apiKey.id)).leakedAt).toBeNull();
  });

  it("counts each address on its own, by the first X-Forwarded-For hop when the proxy is trusted", async () => {
    const app = await leakApp({ compromisedRateLimitPerMinute: 2 });
    const ip = newIp();
    expect((await report(app, unknownKey(), `${ip}, 10.0.0.1`)).status).toBe(202);
    expect((await report(app, unknownKey(), `${ip}, 10.0.0.2`)).status).toBe(202);
    expect((await report(app, unknownKey(), ip)).status).toBe(429);
    expect((await report(app, unknownKey(), newIp())).status).toBe(202);
  });

  it("ignores X-Forwarded-For unless TOLLGATE_TRUST_PROXY is set (in-process requests share one bucket)", async () => {
    const app = await leakApp({ compromisedRateLimitPerMinute: 2, trustProxy: false });
    expect((await report(app, unknownKey(), newIp())).status).toBe(202);
    expect((await report(app, unknownKey(), newIp())).status).toBe(202);
    const r = await report(app, unknownKey(), newIp());
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("counts malformed requests too", async () => {
    const app = await leakApp({ compromisedRateLimitPerMinute: 2 });
    const ip = newIp();
    const garbage = () => call("POST", COMPROMISED, { app, raw: "nope", headers: { "content-type": "application/json", "x-forwarded-for": ip } });
    expect((await garbage()).status).toBe(400);
    expect((await garbage()).status).toBe(400);
    expect((await garbage()).status).toBe(429);
    expect((await report(app, unknownKey(), ip)).status).toBe(429);
  });

  it("lives with the app instance: another app has its own budget", async () => {
    const ip = newIp();
    const a = await leakApp({ compromisedRateLimitPerMinute: 1 });
    expect((await report(a, unknownKey(), ip)).status).toBe(202);
    expect((await report(a, unknownKey(), ip)).status).toBe(429);
    const b = await leakApp({ compromisedRateLimitPerMinute: 1 });
    expect((await report(b, unknownKey(), ip)).status).toBe(202);
  });

  it("defaults to 60 a minute (TOLLGATE_COMPROMISED_RATE_LIMIT)", async () => {
    const h = await getHarness();
    expect(h.config.compromisedRateLimitPerMinute).toBe(60);
    const app = await leakApp();
    const ip = newIp();
    for (let i = 0; i < 60; i++) expect((await report(app, badChecksum(), ip)).status).toBe(202);
    expect((await report(app, badChecksum(), ip)).status).toBe(429);
  });
});
