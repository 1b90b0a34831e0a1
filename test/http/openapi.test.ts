import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateOpenApiYaml } from "../../src/openapi-doc.js";
import { call } from "../helpers/harness.js";

describe("OpenAPI document", () => {
  it("openapi.yaml is what the code generates (run `npm run openapi` after changing a route)", () => {
    const committed = readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8");
    expect(committed).toBe(generateOpenApiYaml());
  });

  it("is served at /openapi.json as OpenAPI 3.1 with the bearer scheme, and Swagger UI at /docs", async () => {
    const doc = await call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    expect(doc.body.components.securitySchemes.bearerToken).toMatchObject({ type: "http", scheme: "bearer" });
    const ui = await call("GET", "/docs");
    expect(ui.status).toBe(200);
    expect(ui.text).toContain("swagger");
  });

  it("documents 401 on every authenticated operation and 400 wherever input is validated", async () => {
    const doc = (await call("GET", "/openapi.json")).body;
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        if (op.security?.length) expect(op.responses, `${method} ${path}`).toHaveProperty("401");
        if (op.requestBody || op.parameters?.length) expect(op.responses, `${method} ${path}`).toHaveProperty("400");
      }
    }
  });
});
