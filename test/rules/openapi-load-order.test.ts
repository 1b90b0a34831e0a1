import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("OpenAPI document and module load order", () => {
  it("is the same whichever module is loaded first (model-id.ts before the routes)", () => {
    // Tests share one module cache per worker (isolate: false), so the pure resolver tests may load
    // model-id.ts first; a route calling `.openapi()` on its schemas then failed. A fresh process
    // pins that order.
    const code = [
      'await import("./src/rules/model-id.ts");',
      'const { generateOpenApiYaml } = await import("./src/openapi-doc.ts");',
      "process.stdout.write(generateOpenApiYaml());",
    ].join("\n");
    const yaml = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(yaml).toBe(readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8"));
  });
});
