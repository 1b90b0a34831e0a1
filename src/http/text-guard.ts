import type { Context } from "hono";
import type { AppEnv } from "./context.js";
import { badRequest, type ErrorParam } from "./errors.js";
import { rejectDeepJson } from "./json-depth.js";

/** NUL, or a UTF-16 surrogate without its pair: Postgres cannot store either in text or jsonb. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MESSAGE = "must not contain NUL or unpaired surrogate characters";

function walk(value: unknown, path: string, out: ErrorParam[]): void {
  if (out.length >= 20) return;
  if (typeof value === "string") {
    if (UNSTORABLE.test(value)) out.push({ path, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i), out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const p = path ? `${path}.${k}` : k;
      if (UNSTORABLE.test(k)) out.push({ path: p, message: `field name ${MESSAGE}` });
      walk(v, p, out);
    }
  }
}

/**
 * The fields of a JSON body that hold unstorable text (at most 20), as error params; `body` is
 * `text` parsed. Decoded UTF-8 holds neither NUL (JSON forbids it raw) nor a lone surrogate
 * (decoding replaces it): either can only come from a `\u` escape, so text without one is not
 * walked.
 */
export function unstorableInJson(text: string, body: unknown): ErrorParam[] {
  const params: ErrorParam[] = [];
  if (text.includes("\\u")) walk(body, "", params);
  return params;
}

export const UNSTORABLE_MESSAGE = "Text with NUL or unpaired surrogate characters cannot be stored.";

/**
 * Refuses, with 400 naming the field, any path segment, query value or JSON string that Postgres
 * could not store as given (it would fail with a 500, or silently replace the character). One
 * check for every route, before anything reads the input. Malformed JSON is left to the validator.
 */
export async function rejectUnstorableText(c: Context<AppEnv>): Promise<void> {
  const params: ErrorParam[] = [];
  const url = c.req.url;
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  if (rawPath.includes("%")) {
    let decoded = rawPath;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {}
    if (UNSTORABLE.test(decoded)) params.push({ path: "(path)", message: MESSAGE });
  }
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      if (UNSTORABLE.test(k) || UNSTORABLE.test(v)) params.push({ path: k, message: MESSAGE });
    }
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD" && /json/i.test(c.req.header("content-type") ?? "")) {
    // Read the raw text (kept as sent, e.g. for signature checks) and parse it once: the parsed
    // value is what the validator reads next.
    const text = await c.req.text();
    rejectDeepJson(text);
    try {
      const body: unknown = JSON.parse(text);
      c.req.bodyCache.json = Promise.resolve(body);
      params.push(...unstorableInJson(text, body));
    } catch {
      // Malformed JSON: the route's validator answers 400 with its own message.
    }
  }
  if (params.length > 0) throw badRequest(UNSTORABLE_MESSAGE, params);
}
