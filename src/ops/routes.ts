import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { withDeadline } from "../db/unavailable.js";
import { bearer } from "../http/auth.js";
import type { App, Deps } from "../http/context.js";
import { ApiError, unauthorized } from "../http/errors.js";
import { secretMatcher } from "../lib/secrets.js";
import { metricsText, registry } from "./metrics.js";

/** Process-wide lifecycle flags: set by the shutdown sequence (src/ops/server.ts). */
export const lifecycle = { draining: false };

const READY_DEADLINE_MS = 1000;

/**
 * `/healthz` (the process serves), `/readyz` (the database answers and the authorize cache is
 * trusted; 503 while draining), `/metrics` (Prometheus text; bearer `TOLLGATE_METRICS_TOKEN` or
 * the admin token), `/docs` (Swagger UI served from `swagger-ui-dist`, no CDN) and `/`, which points
 * a browser at the dashboard (`/dashboard`) and an API client at the docs and the OpenAPI document.
 */
export function registerOpsRoutes(app: App, deps: Deps, render: (c: Context, err: ApiError) => Response | Promise<Response>): void {
  app.get("/healthz", (c) => c.json({ ok: true }));

  // The server's root: a browser is taken to the dashboard, an API client gets where things are.
  app.get("/", (c) => {
    if ((c.req.header("accept") ?? "").includes("text/html")) return c.redirect("/dashboard", 302);
    return c.json({ name: "Tollgate", dashboard: "/dashboard", docs: "/docs", openapi: "/openapi.json", health: "/healthz" });
  });

  app.get("/readyz", async (c) => {
    let database: "ok" | "unreachable" = "ok";
    try {
      await withDeadline(deps.db.execute(sql`select 1`), READY_DEADLINE_MS);
    } catch {
      database = "unreachable";
    }
    const cache = deps.gateway.isTrusted ? "trusted" : "untrusted";
    const ready = database === "ok" && cache === "trusted" && !lifecycle.draining;
    if (!ready) c.header("retry-after", "1");
    return c.json({ ready, database, cache, draining: lifecycle.draining }, ready ? 200 : 503);
  });

  const isMetricsToken = secretMatcher(deps.config.metricsToken);
  const isAdmin = secretMatcher(deps.config.adminToken);
  app.get("/metrics", async (c) => {
    const token = bearer(c.req.header("authorization"));
    if (!token) return render(c, unauthorized("Missing bearer token: send `Authorization: Bearer <token>` (TOLLGATE_METRICS_TOKEN or the admin token)."));
    if (!isMetricsToken(token) && !isAdmin(token)) return render(c, unauthorized("Invalid token for /metrics: use TOLLGATE_METRICS_TOKEN or the admin token."));
    return c.body(await metricsText(), 200, { "content-type": registry.contentType });
  });

  const assets = swaggerAssets();
  app.get("/docs", (c) => c.html(DOCS_HTML));
  app.get("/docs/:file", (c) => {
    const asset = assets(c.req.param("file"));
    if (!asset) return render(c, new ApiError("not_found", `No route for GET ${c.req.path}.`));
    return c.body(asset.body, 200, { "content-type": asset.type, "cache-control": "public, max-age=86400" });
  });
}

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Tollgate API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-init.js"></script>
</body>
</html>
`;

const INIT_JS = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });\n`;

const ASSET_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** Swagger UI's files from the installed `swagger-ui-dist`, read on first request and kept. */
function swaggerAssets(): (file: string) => { body: Uint8Array<ArrayBuffer>; type: string } | undefined {
  const cache = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>();
  let dir: string | undefined;
  return (file) => {
    if (file === "swagger-init.js") return { body: new Uint8Array(Buffer.from(INIT_JS)), type: "text/javascript; charset=utf-8" };
    const type = ASSET_FILES[file];
    if (!type) return undefined;
    let hit = cache.get(file);
    if (!hit) {
      dir ??= dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
      hit = { body: new Uint8Array(readFileSync(join(dir, file))), type };
      cache.set(file, hit);
    }
    return hit;
  };
}
