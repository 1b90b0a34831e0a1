/**
 * A fake OpenAI-compatible provider (Chat Completions and embeddings) that answers like a model
 * following instructions, for the AI SDK tests' multi-step calls: a request with `tools` and no
 * tool result yet gets a call of its first tool (`{"city":"Paris"}`); a request with a tool result
 * gets a text naming it; a request with a JSON `response_format` gets `{"name":"Ada","age":36}`;
 * otherwise "Hello from compat.". Streams too. Usage: prompt tokens = body bytes / 10 (rounded up),
 * completion tokens = 7. `*-fail-<status>` answers that status; `*-drip` streams 500 words, one every
 * 20 ms, its usage only at the end (a client that disconnects shows as `closedEarly`). Only
 * `validKeys` pass (401).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FakeProvider, SeenRequest } from "../proxy/fake-providers.js";

export function startFakeCompatible(validKeys: string[]): Promise<FakeProvider> {
  const requests: SeenRequest[] = [];
  const keys = new Set(validKeys);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const body = JSON.parse(raw || "{}");
      const seen: SeenRequest = { path: req.url ?? "", headers: req.headers, body, closedEarly: false, finished: false };
      requests.push(seen);
      res.on("finish", () => (seen.finished = true));
      res.on("close", () => {
        if (!res.writableFinished) seen.closedEarly = true;
      });
      const json = (status: number, b: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(b));
      };
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!key || !keys.has(key)) return json(401, { error: { message: "bad key", type: "invalid_request_error", code: "invalid_api_key" } });
      const fail = /-fail-(\d{3})$/.exec(String(body.model));
      if (fail) return json(Number(fail[1]), { error: { message: `fake failure ${fail[1]}`, type: "server_error" } });
      const usage = { prompt_tokens: Math.ceil(Buffer.byteLength(raw) / 10), completion_tokens: 7, total_tokens: Math.ceil(Buffer.byteLength(raw) / 10) + 7 };
      if (req.url === "/v1/embeddings") {
        const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
        return json(200, { object: "list", data: input.map((s, index) => ({ object: "embedding", index, embedding: [s.length, 0.5] })), model: body.model, usage });
      }
      const messages: { role: string; content: unknown }[] = body.messages ?? [];
      const toolResult = messages.find((m) => m.role === "tool");
      const tool = Array.isArray(body.tools) ? body.tools[0] : undefined;
      let message: Record<string, unknown>;
      let finish = "stop";
      if (tool && !toolResult) {
        message = { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: tool.function.name, arguments: JSON.stringify({ city: "Paris" }) } }] };
        finish = "tool_calls";
      } else if (toolResult) message = { role: "assistant", content: `The tool said: ${String(toolResult.content)}` };
      else if (body.response_format?.type === "json_schema" || body.response_format?.type === "json_object") message = { role: "assistant", content: JSON.stringify({ name: "Ada", age: 36 }) };
      else message = { role: "assistant", content: "Hello from compat." };
      const base = { id: "chatcmpl-compat", created: 1_700_000_000, model: body.model };
      if (!body.stream) return json(200, { ...base, object: "chat.completion", choices: [{ index: 0, message, finish_reason: finish }], usage });
      res.writeHead(200, { "content-type": "text/event-stream" });
      const send = (d: unknown) => res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...(d as object) })}\n\n`);
      if (String(body.model).endsWith("-drip")) {
        let i = 0;
        const next = () => {
          if (res.destroyed) return;
          if (i < 500) {
            send({ choices: [{ index: 0, delta: { content: `w${i++} ` }, finish_reason: null }] });
            return void setTimeout(next, 20);
          }
          send({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
          if (body.stream_options?.include_usage) send({ choices: [], usage });
          res.end("data: [DONE]\n\n");
        };
        return next();
      }
      if (message.tool_calls) send({ choices: [{ index: 0, delta: { role: "assistant", tool_calls: (message.tool_calls as object[]).map((t, index) => ({ index, ...t })) }, finish_reason: null }] });
      else for (const w of String(message.content).split(/(?= )/)) send({ choices: [{ index: 0, delta: { content: w }, finish_reason: null }] });
      send({ choices: [{ index: 0, delta: {}, finish_reason: finish }] });
      if (body.stream_options?.include_usage) send({ choices: [], usage });
      res.end("data: [DONE]\n\n");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        validKeys: keys,
        close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}
