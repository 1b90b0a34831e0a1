/**
 * Writes openapi.yaml from the zod schemas (`npm run openapi`), or with `--check` fails when the
 * committed file differs from what the code generates (`npm run openapi:check`, run by CI).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateOpenApiYaml } from "../src/openapi-doc.js";

const target = fileURLToPath(new URL("../openapi.yaml", import.meta.url));
const yaml = generateOpenApiYaml();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== yaml) {
    console.error("openapi.yaml is stale: run `npm run openapi` and commit the result.");
    process.exit(1);
  }
  console.log("openapi.yaml is up to date.");
} else {
  writeFileSync(target, yaml);
  console.log(`wrote ${target}`);
}
