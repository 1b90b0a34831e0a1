import { badRequest } from "../http/errors.js";
import type { SpecVersion } from "./caller.js";

/**
 * The call options and results on the wire, between `@ai-sdk/gateway` (JSON) and the provider
 * packages (objects): file bytes travel as base64 strings and URLs as strings. Specification
 * version 3 (`ai` 6) carries a file's data as a plain string (base64, or a URL) where version 4
 * (`ai` 7) tags it (`{type:'data'|'url'|…}`), and knows fewer part types.
 */

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Call options as the provider packages take them: file data decoded, URLs as URL objects. `body`
 * is left as it came (its prompt is the request's text, as the worst case and the usage count it).
 */
export function decodeCallOptions(body: Record<string, unknown>, spec: SpecVersion): Record<string, unknown> {
  const prompt = body.prompt;
  if (!Array.isArray(prompt)) throw badRequest("`prompt` is required: the AI SDK's prompt, an array of messages.", [{ path: "prompt", message: "required array" }]);
  const decoded = prompt.map((message: unknown) => {
    if (!isObject(message)) throw badRequest("Each message of `prompt` must be an object.", [{ path: "prompt", message: "messages must be objects" }]);
    checkMessage(message);
    if (!Array.isArray(message.content)) return message;
    return { ...message, content: message.content.map((part: unknown) => (isObject(part) ? decodePart(part, spec) : part)) };
  });
  // Not the caller's to set: the server decides where the provider's answer goes.
  const { headers: _headers, abortSignal: _signal, ...options } = body;
  return { ...options, prompt: decoded };
}

function decodePart(part: Record<string, unknown>, spec: SpecVersion): Record<string, unknown> {
  if (part.type === "file" || part.type === "reasoning-file") return { ...part, data: decodeFileData(part.data, spec) };
  if (part.type === "tool-result" && isObject(part.output) && part.output.type === "content" && Array.isArray(part.output.value)) {
    const value = part.output.value.map((inner: unknown) => (isObject(inner) && (inner.type === "file" || inner.type === "file-data") ? decodeToolFile(inner, spec) : inner));
    return { ...part, output: { ...part.output, value } };
  }
  return part;
}

const ROLES = new Set(["system", "user", "assistant", "tool"]);

/** The prompt's shape as every provider package expects it (a role it knows; parts with a `type`), so a malformed one is a 400. */
function checkMessage(m: Record<string, unknown>): void {
  if (typeof m.role !== "string" || !ROLES.has(m.role)) {
    throw badRequest(`Unsupported message role '${String(m.role).slice(0, 50)}': system, user, assistant or tool.`, [{ path: "prompt", message: "unsupported role" }]);
  }
  if (m.role === "system") {
    if (typeof m.content !== "string") throw badRequest("A system message's `content` must be a string.", [{ path: "prompt", message: "system content must be a string" }]);
    return;
  }
  if (!Array.isArray(m.content) || !m.content.every((p) => isObject(p) && typeof p.type === "string")) {
    throw badRequest(`A ${m.role} message's \`content\` must be a list of parts, each with a \`type\`.`, [{ path: "prompt", message: "content must be a list of parts" }]);
  }
}

function decodeFileData(data: unknown, spec: SpecVersion): unknown {
  if (spec === 3 && typeof data === "string") {
    // Version 3: a URL (serialized URL object) or base64 bytes.
    return /^[a-z][a-z0-9+.-]*:/i.test(data) ? { type: "url", url: parseUrl(data) } : { type: "data", data: base64(data) };
  }
  if (!isObject(data)) return data;
  if (data.type === "data" && typeof data.data === "string") return { ...data, data: base64(data.data) };
  if (data.type === "url" && typeof data.url === "string") return { ...data, url: parseUrl(data.url) };
  return data;
}

function decodeToolFile(part: Record<string, unknown>, spec: SpecVersion): Record<string, unknown> {
  return spec === 4 && part.type === "file" ? { ...part, data: decodeFileData(part.data, spec) } : part;
}

function parseUrl(s: string): URL {
  try {
    return new URL(s);
  } catch {
    throw badRequest(`Invalid file URL '${s.slice(0, 200)}'.`, [{ path: "prompt", message: "invalid file URL" }]);
  }
}

function base64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}

/**
 * JSON text of a result or stream part: bytes as base64, errors as `{name, message}`. A value with
 * neither (most parts: text deltas, usage) is stringified without the replacer, which would be
 * called for every key and keeps `JSON.stringify` off its fast path.
 */
export function toJson(value: unknown): string {
  return plainJson(value, 0) ? JSON.stringify(value) : JSON.stringify(value, replacer);
}

function replacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64");
  if (raw instanceof Error) return { name: raw.name, message: raw.message, ...("statusCode" in raw ? { statusCode: raw.statusCode } : {}) };
  return v;
}

/** Whether `JSON.stringify` alone writes `v` as `toJson` must: no bytes, no errors, no other `toJSON` than a Date's or a URL's (deep values: assumed not). */
function plainJson(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== "object") return true;
  if (depth > 32 || v instanceof Uint8Array || v instanceof Error) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!plainJson(v[i], depth + 1)) return false;
    return true;
  }
  if (v instanceof Date || v instanceof URL) return true;
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") return false;
  for (const k in v) if (!plainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/** Content and stream part types version 3 does not know. */
const V4_ONLY = new Set(["ping", "custom", "reasoning-file"]);

/** A content or stream part for the client's version; null to leave it out. */
export function partFor(part: Record<string, unknown>, spec: SpecVersion): Record<string, unknown> | null {
  if (spec === 4) return part;
  if (V4_ONLY.has(part.type as string)) return null;
  if (part.type === "file" && isObject(part.data)) {
    const d = part.data;
    return { ...part, data: d.type === "url" ? String(d.url) : d.data };
  }
  return part;
}
