/**
 * The gateway bench's reference proxy: a bare Hono route on @hono/node-server that sends the body
 * it gets to UPSTREAM (node:http, keep-alive) and returns the answer, with nothing else (no key,
 * no rules, no metering). What any Node proxy on this stack costs, measured in the same run.
 */
import { Agent, request } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const upstream = new URL(process.env.UPSTREAM!);
const agent = new Agent({ keepAlive: true });
const app = new Hono();
app.post("/v1/chat/completions", async (c) => {
  const body = await c.req.text();
  const answer = await new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
    const req = request(
      { host: upstream.hostname, port: upstream.port, path: `${upstream.pathname}/chat/completions`, method: "POST", agent,
        headers: { "content-type": "application/json", authorization: c.req.header("authorization") ?? "", "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (b: Buffer) => chunks.push(b));
        res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["content-type"]), text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
  return new Response(answer.text, { status: answer.status, headers: { "content-type": answer.type } });
});
app.get("/healthz", (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
