/** The other ceiling: a raw `node:http` server that reads a JSON body, parses it and answers JSON (no framework at all). */
import { createServer } from "node:http";

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { credential?: string; model?: string };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, model: body.model ?? null, length: body.credential?.length ?? 0 }));
  });
}).listen(Number(process.env.PORT), "127.0.0.1");
