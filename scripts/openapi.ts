/**
 * Writes openapi.yaml from the zod schemas (`npm run openapi`), or with `--check` fails when the
 * committed file differs from what the code generates (`npm run openapi:check`, run by CI).
 */
import { fileURLToPath } from "node:url";
import { generateOpenApiYaml } from "../src/openapi-doc.js";
import { writeOrCheck } from "./write-or-check.js";

const target = fileURLToPath(new URL("../openapi.yaml", import.meta.url));
writeOrCheck(target, generateOpenApiYaml(), "openapi.yaml", "npm run openapi");
