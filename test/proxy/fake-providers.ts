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
 *
 * OpenAI also serves the Responses API (`/v1/responses`, JSON or the `response.*` SSE events; a
 * request with `tools` gets a call of its first function tool). Cache and reasoning tokens, as the
 * real APIs report them: OpenAI requests with a `prompt_cache_key` seen before report all but
 * 3 input tokens as cached (`cached_tokens`, included in the input count); a request asking for
 * reasoning (`reasoning_effort`, or `reasoning` on Responses) reports 20 reasoning tokens more
 * (included in the output count). Anthropic requests containing `cache_control` report all but 3
 * input tokens as a cache write the first time a body is seen and as a cache read after
 * (`cache_creation_input_tokens` / `cache_read_input_tokens`, NOT included in `input_tokens`).
 * Anthropic also serves `/v1/messages/count_tokens`.
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
const REASONING_TOKENS = 20;
/** Input tokens not covered by a cache hit. */
const UNCACHED_TAIL = 3;
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
  const cacheKeys = new Set<string>();
  return listen(
    (req, res, raw, _seen) => {
      const body = JSON.parse(raw);
      const input = inputTokens(raw);
      let cached = 0;
      if (typeof body.prompt_cache_key === "string") {
        if (cacheKeys.has(body.prompt_cache_key)) cached = Math.max(0, input - UNCACHED_TAIL);
        cacheKeys.add(body.prompt_cache_key);
      }
      const reasoning = body.reasoning_effort !== undefined || body.reasoning !== undefined ? REASONING_TOKENS : 0;
      const output = OUTPUT_TOKENS + reasoning;
      const usage = {
        prompt_tokens: input,
        completion_tokens: output,
        total_tokens: input + output,
        prompt_tokens_details: { cached_tokens: cached },
        completion_tokens_details: { reasoning_tokens: reasoning },
      };
      if (req.url === "/v1/responses") {
        return responses(res, body, {
          input_tokens: input,
          input_tokens_details: { cached_tokens: cached },
          output_tokens: output,
          output_tokens_details: { reasoning_tokens: reasoning },
          total_tokens: input + output,
        });
      }
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
  const cachedBodies = new Set<string>();
  return listen(
    (req, res, raw) => {
      if (req.url !== "/v1/messages" && req.url !== "/v1/messages/count_tokens") return json(res, 404, { type: "error", error: { type: "not_found_error", message: "not found" } });
      if (!req.headers["anthropic-version"]) return json(res, 400, { type: "error", error: { type: "invalid_request_error", message: "anthropic-version header is required" } });
      const body = JSON.parse(raw);
      if (req.url === "/v1/messages/count_tokens") return json(res, 200, { input_tokens: inputTokens(raw) });
      const total = inputTokens(raw);
      let input = total;
      let cacheRead = 0;
      let cacheWrite = 0;
      if (raw.includes('"cache_control"')) {
        const key = JSON.stringify({ ...body, stream: undefined });
        const cachedPart = Math.max(0, total - UNCACHED_TAIL);
        if (cachedBodies.has(key)) cacheRead = cachedPart;
        else cacheWrite = cachedPart;
        cachedBodies.add(key);
        input = total - cachedPart;
      }
      const message = {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [{ type: "text", text: "Hello from the fake." }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: input, output_tokens: OUTPUT_TOKENS, cache_read_input_tokens: cacheRead, cache_creation_input_tokens: cacheWrite },
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

/**
 * OpenAI's Responses API: the response object, or (with `stream`) its events as OpenAI sends them
 * (`event: <type>` and `data:` with the same `type` and a `sequence_number`), usage in the last one.
 * With `tools`, the answer is a call of the first function tool; otherwise a text message.
 */
function responses(res: ServerResponse, body: any, usage: Record<string, unknown>) {
  const tool = Array.isArray(body.tools) ? body.tools.find((t: any) => t?.type === "function") : undefined;
  const base = {
    id: "resp_fake",
    object: "response",
    created_at: 1_700_000_000,
    model: body.model,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: 1,
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: 1,
  };
  const text = "Hello from the fake.";
  const args = JSON.stringify({ city: "Paris" });
  const item = tool
    ? { type: "function_call", id: "fc_fake", call_id: "call_fake", name: tool.name, arguments: args, status: "completed" }
    : { type: "message", id: "msg_fake", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] };
  const completed = { ...base, status: "completed", output: [item], usage };
  if (!body.stream) return json(res, 200, completed);

  const inProgress = { ...base, status: "in_progress", output: [], usage: null };
  const events: Record<string, unknown>[] = [
    { type: "response.created", response: inProgress },
    { type: "response.in_progress", response: inProgress },
  ];
  if (tool) {
    events.push(
      { type: "response.output_item.added", output_index: 0, item: { ...item, arguments: "", status: "in_progress" } },
      { type: "response.function_call_arguments.delta", item_id: "fc_fake", output_index: 0, delta: args.slice(0, 5) },
      { type: "response.function_call_arguments.delta", item_id: "fc_fake", output_index: 0, delta: args.slice(5) },
      { type: "response.function_call_arguments.done", item_id: "fc_fake", output_index: 0, arguments: args },
      { type: "response.output_item.done", output_index: 0, item },
    );
  } else {
    const part = { type: "output_text", text: "", annotations: [] };
    events.push(
      { type: "response.output_item.added", output_index: 0, item: { ...item, status: "in_progress", content: [] } },
      { type: "response.content_part.added", item_id: "msg_fake", output_index: 0, content_index: 0, part },
      ...["Hello", " from", " the", " fake."].map((delta) => ({ type: "response.output_text.delta", item_id: "msg_fake", output_index: 0, content_index: 0, delta })),
      { type: "response.output_text.done", item_id: "msg_fake", output_index: 0, content_index: 0, text },
      { type: "response.content_part.done", item_id: "msg_fake", output_index: 0, content_index: 0, part: { ...part, text } },
      { type: "response.output_item.done", output_index: 0, item },
    );
  }
  events.push({ type: "response.completed", response: completed });
  sse(res);
  drip(
    res,
    events.map((e, i) => `event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: i })}\n\n`),
    0,
  );
}
