import { stringify } from "yaml";
import { createApp, openApiConfig } from "./app.js";
import { loadConfig } from "./config.js";
import type { Db } from "./db/client.js";
import { GatewayState } from "./gateway/state.js";
import { systemClock } from "./lib/clock.js";
import { createLogger } from "./lib/logger.js";
import { withUnavailable } from "./ops/openapi.js";

/** The OpenAPI 3.1 document as committed in openapi.yaml (built without a database). */
export function generateOpenApiDocument() {
  const app = createApp({
    db: null as unknown as Db, // documents are generated from the routes; no query runs
    config: loadConfig({}),
    clock: systemClock,
    log: createLogger("silent"),
    gateway: new GatewayState(null as unknown as Db, { cache: false }),
    keyring: null,
  });
  return withUnavailable(app.getOpenAPI31Document(openApiConfig()));
}

export function generateOpenApiYaml(): string {
  return stringify(generateOpenApiDocument(), { lineWidth: 0 });
}
