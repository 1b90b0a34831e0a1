/**
 * Generates the typed API client's types (src/client/schema.ts) from the committed openapi.yaml
 * (`npm run client`), or with `--check` fails when the committed file differs from what
 * openapi.yaml generates (`npm run client:check`, run by CI right after the openapi.yaml check).
 * Deterministic: the same openapi.yaml always gives the same bytes.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS from "openapi-typescript";
import { parse } from "yaml";
import { writeOrCheck } from "./write-or-check.js";

const source = fileURLToPath(new URL("../openapi.yaml", import.meta.url));
const target = fileURLToPath(new URL("../src/client/schema.ts", import.meta.url));

const header = [
  "/**",
  " * Generated from openapi.yaml by `npm run client` (openapi-typescript). Do not edit by hand:",
  " * change the routes' zod schemas, run `npm run openapi && npm run client`, and commit both.",
  " */",
  "/* eslint-disable */",
  "",
].join("\n");

const body = await openapiTS(parse(readFileSync(source, "utf8")), { exportType: false });
// openapi-typescript writes its own "auto-generated" banner; ours replaces it, and the file ends in one newline.
const generated = header + body.replace(/^\/\*\*[\s\S]*?\*\/\s*/, "").trimEnd() + "\n";

writeOrCheck(target, generated, "src/client/schema.ts", "npm run client");
