import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/lib/logger.js";

describe("the one logger", () => {
  it("json: one object per line; a child carries its fields on every line; levels filter", () => {
    const lines: string[] = [];
    const log = createLogger("info", { format: "json", write: (l) => lines.push(l) });
    const req = log.child({ requestId: "req_1" });
    req.info("model failed", { from: "a/b" });
    req.debug("dropped");
    log.error("plain");
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed).toEqual([
      { time: expect.any(String), level: "info", msg: "model failed", requestId: "req_1", from: "a/b" },
      { time: expect.any(String), level: "error", msg: "plain" },
    ]);
    expect(req.enabled("debug")).toBe(false);
  });

  it("text: one readable line, strings with spaces quoted", () => {
    const lines: string[] = [];
    const log = createLogger("debug", { format: "text", write: (l) => lines.push(l) });
    log.child({ requestId: "req_2" }).info("listening", { url: "http://localhost:3000", note: "two words", n: 3, skipped: undefined });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d\d\d INFO  listening requestId=req_2 url=http:\/\/localhost:3000 note="two words" n=3$/);
  });

  it("notice (the start-up lines): written at every level but silent", () => {
    const lines: string[] = [];
    createLogger("error", { format: "json", write: (l) => lines.push(l) }).notice("the admin API is off");
    createLogger("silent", { format: "json", write: (l) => lines.push(l) }).notice("not written");
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ time: expect.any(String), level: "notice", msg: "the admin API is off" }]);
  });
});
