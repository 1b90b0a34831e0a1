/**
 * Local fake LLM providers for the gateway's tests and bench: an OpenAI-compatible one
 * (`/v1/chat/completions`, `/v1/embeddings`) and an Anthropic one (`/v1/messages`), each with
 * streams and usage, as plain HTTP servers on 127.0.0.1. They check the credential they are sent
 * (only `validKeys` pass, 401 otherwise, in the provider's error shape) and remember every request.
 *
 * Models steer the behaviour: `*-slow` never answers; `*-stall` (OpenAI) streams one chunk and
 * then hangs; `*-drip` streams a chunk every 20 ms for 10 s (a client that disconnects shows as `closedEarly`); `*-fail-<status>` answers that status.
 * Usage: prompt/input tokens = the request body's length in bytes / 10 (rounded up), completion/output
 * tokens = 7, so tests can check spend against what the answer reported.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type SeenRequest = { path: string; headers: IncomingMessage["headers"]; body: any; closedEarly: boolean; finished: boolean };

export type FakeProvider = {
  url: string;
  requests: SeenRequest[];
  /** Credentials the provider accepts. */
  validKeys: Set<string>;
  close(): Promise<void>;
};

const OUTPUT_TOKENS = 7;
const inputTokens = (raw: string) => Math.ceil(Buffer.byteLength(raw) / 10);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "x-request-id": "upstream-req-1" });
  res.end(text);
}

function listen(
  handler: (req: IncomingMessage, res: ServerResponse, raw: string, seen: SeenRequest) => void,
  validKeys: string[],
  keyOf: (req: IncomingMessage) => string | undefined,
  unauthorized: (res: ServerResponse) => void,
  port = 0,
): Promise<FakeProvider> {
  const requests: SeenRequest[] = [];
  const keys = new Set(validKeys);
  const server: Server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/healthz") return json(res, 200, { ok: true });
    const raw = await readBody(req);
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const seen: SeenRequest = { path: req.url ?? "", headers: req.headers, body, closedEarly: false, finished: false };
    requests.push(seen);
    if (requests.length > 1000) requests.shift();
    res.on("close", () => {
      if (!res.writableFinished) seen.closedEarly = true;
    });
    res.on("finish", () => (seen.finished = true));
    const key = keyOf(req);
    if (!key || !keys.has(key)) return unauthorized(res);
    const model = String(body?.model ?? "");
    if (model.endsWith("-slow")) return; // never answers
    const fail = /-fail-(\d{3})$/.exec(model);
    if (fail) return handlerFail(res, Number(fail[1]));
    handler(req, res, raw, seen);
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        validKeys: keys,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

function handlerFail(res: ServerResponse, status: number) {
  json(res, status, { error: { message: `fake failure ${status}`, type: "server_error", param: null, code: null } });
}

function sse(res: ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-request-id": "upstream-req-1" });
}

/** Sends `events` one per tick (or every `gapMs`), then ends. */
function drip(res: ServerResponse, events: string[], gapMs: number) {
  let i = 0;
  const next = () => {
    if (res.destroyed) return;
    if (i >= events.length) return res.end();
    res.write(events[i++]);
    if (gapMs > 0) setTimeout(next, gapMs);
    else setImmediate(next);
  };
  next();
}

export function startFakeOpenAI(validKeys: string[] = ["sk-system"], port = 0): Promise<FakeProvider> {
  return listen(
    (req, res, raw, _seen) => {
      const body = JSON.parse(raw);
      const usage = { prompt_tokens: inputTokens(raw), completion_tokens: OUTPUT_TOKENS, total_tokens: inputTokens(raw) + OUTPUT_TOKENS, prompt_tokens_details: { cached_tokens: 0 } };
      if (req.url === "/v1/embeddings") {
        const n = Array.isArray(body.input) ? body.input.length : 1;
        return json(res, 200, {
          object: "list",
          data: Array.from({ length: n }, (_, index) => ({ object: "embedding", index, embedding: [0.1, 0.2, 0.3] })),
          model: body.model,
          usage: { prompt_tokens: usage.prompt_tokens, total_tokens: usage.prompt_tokens },
        });
      }
      if (req.url !== "/v1/chat/completions") return json(res, 404, { error: { message: "not found", type: "invalid_request_error", param: null, code: null } });
      const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1_700_000_000, model: body.model };
      if (!body.stream) {
        return json(res, 200, {
          id: "chatcmpl-fake",
          object: "chat.completion",
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: "Hello from the fake." }, finish_reason: "stop" }],
          usage,
        });
      }
      if (body.model.endsWith("-stall")) {
        // One chunk, then nothing (the provider hangs mid-stream).
        sse(res);
        return res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "Hel" }, finish_reason: null }] })}\n\n`);
      }
      const words = body.model.endsWith("-drip") ? Array.from({ length: 500 }, (_, i) => `w${i} `) : ["Hello", " from", " the", " fake."];
      const events = [
        { ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] },
        ...words.map((w) => ({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })),
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
      ].map((e) => `data: ${JSON.stringify(body.stream_options?.include_usage ? { ...e, usage: null } : e)}\n\n`);
      if (body.stream_options?.include_usage) events.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
      events.push("data: [DONE]\n\n");
      sse(res);
      drip(res, events, body.model.endsWith("-drip") ? 20 : 0);
    },
    validKeys,
    (req) => /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1],
    (res) => json(res, 401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", param: null, code: "invalid_api_key" } }),
    port,
  );
}

export function startFakeAnthropic(validKeys: string[] = ["sk-ant-system"]): Promise<FakeProvider> {
  return listen(
    (req, res, raw) => {
      if (req.url !== "/v1/messages") return json(res, 404, { type: "error", error: { type: "not_found_error", message: "not found" } });
      if (!req.headers["anthropic-version"]) return json(res, 400, { type: "error", error: { type: "invalid_request_error", message: "anthropic-version header is required" } });
      const body = JSON.parse(raw);
      const input = inputTokens(raw);
      const message = {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [{ type: "text", text: "Hello from the fake." }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: input, output_tokens: OUTPUT_TOKENS, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      };
      if (!body.stream) return json(res, 200, message);
      const words = body.model.endsWith("-drip") ? Array.from({ length: 500 }, (_, i) => `w${i} `) : ["Hello", " from", " the", " fake."];
      const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
      const events = [
        ev("message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } }),
        ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
        ...words.map((w) => ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: w } })),
        ev("content_block_stop", { type: "content_block_stop", index: 0 }),
        ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: OUTPUT_TOKENS } }),
        ev("message_stop", { type: "message_stop" }),
      ];
      sse(res);
      drip(res, events, body.model.endsWith("-drip") ? 20 : 0);
    },
    validKeys,
    (req) => (req.headers["x-api-key"] as string | undefined) ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1],
    (res) => json(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }),
  );
}
