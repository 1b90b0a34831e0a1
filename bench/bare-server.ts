/** The ceiling: a bare Hono route on @hono/node-server that parses a JSON body and returns JSON. */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/echo", async (c) => {
  const body = await c.req.json<{ credential?: string; model?: string }>();
  return c.json({ ok: true, model: body.model ?? null, length: body.credential?.length ?? 0 });
});
app.get("/healthz", (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
