/**
 * Generates the typed API client's types (src/client/schema.ts) from the committed openapi.yaml
 * (`npm run client`, also run by `npm run openapi`), or with `--check` fails when the committed
 * file differs from what openapi.yaml generates (`npm run client:check`, run by CI right after the
 * openapi.yaml check). Deterministic: the same openapi.yaml always gives the same bytes.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiTS from "openapi-typescript";
import { parse } from "yaml";
import { writeOrCheck } from "./write-or-check.js";

export const CLIENT_SCHEMA_PATH = fileURLToPath(new URL("../src/client/schema.ts", import.meta.url));
const source = fileURLToPath(new URL("../openapi.yaml", import.meta.url));

const header = [
  "/**",
  " * Generated from openapi.yaml by `npm run client` (openapi-typescript). Do not edit by hand:",
  " * change the routes' zod schemas, run `npm run openapi` (which runs `npm run client`), and commit both.",
  " */",
  "/* eslint-disable */",
  "",
].join("\n");

/** src/client/schema.ts's content for the given OpenAPI document (YAML text). */
export async function generateClientSchema(openapiYaml: string = readFileSync(source, "utf8")): Promise<string> {
  const body = await openapiTS(parse(openapiYaml), { exportType: false });
  // openapi-typescript writes its own "auto-generated" banner; ours replaces it, and the file ends in one newline.
  return header + body.replace(/^\/\*\*[\s\S]*?\*\/\s*/, "").trimEnd() + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeOrCheck(CLIENT_SCHEMA_PATH, await generateClientSchema(), "src/client/schema.ts", "npm run client");
}
