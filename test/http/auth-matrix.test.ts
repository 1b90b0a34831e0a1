import { describe, expect, it } from "vitest";
import { servedRoutes } from "../../src/app.js";
import { describeAuthMatrix } from "../helpers/auth-matrix.js";
import { getHarness } from "../helpers/harness.js";
import { ROUTES } from "../routes.js";

describe("route table", () => {
  it("covers every route the app serves under /v1 (and the AI SDK's /v3/ai and /v4/ai)", async () => {
    const { app } = await getHarness();
    const served = new Set(
      servedRoutes(app)
        .filter((r) => /^\/(v1\/|v[34]\/ai\/)/.test(r.path))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`),
    );
    const tabled = new Set(ROUTES.map((r) => `${r.method} ${r.route}`));
    expect([...served].filter((r) => !tabled.has(r))).toEqual([]);
    expect([...tabled].filter((r) => !served.has(r))).toEqual([]);
  });
});

describeAuthMatrix(ROUTES);
