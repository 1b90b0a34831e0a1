import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { dispatcher, upstreamUrl } from "../proxy/proxy.js";

/**
 * The `fetch` the AI SDK's provider packages call providers with (`fetch` in their settings): a
 * request through undici's dispatcher, the keep-alive pools the gateway's proxy calls providers
 * with, answered as a standard `Response`.
 *
 * Why not the global `fetch`: per call it builds a fetch `Request`, a fetch controller and their
 * abort wiring, and about 40 KB of each call's objects survived young-generation collections into
 * the old generation (measured, docs/performance.md); fetch keeps some of them in weak references
 * and a finalization registry, which those collections do not treat as weak.
 *
 * What differs from `fetch`, none of which a provider call here uses: no redirects followed, no
 * `Request` input or streamed request body (both go to the global `fetch`). A connection failure
 * rejects as `fetch` does (`TypeError: fetch failed`, the cause attached), which the AI SDK
 * reports as "Cannot connect to API"; an aborted call rejects with the signal's reason.
 */
export async function providerFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const body = init?.body ?? null;
  if ((typeof input !== "string" && !(input instanceof URL)) || (body !== null && typeof body !== "string" && !(body instanceof Uint8Array))) {
    return fetch(input, init);
  }
  const url = upstreamUrl(typeof input === "string" ? input : input.href); // parsed once per URL, as the proxy's
  const method = (init?.method ?? "GET").toUpperCase() as Dispatcher.HttpMethod;
  let res: Dispatcher.ResponseData;
  try {
    res = await dispatcher.request({ origin: url.origin, path: url.path, method, headers: plainHeaders(init?.headers), body, signal: init?.signal ?? undefined });
  } catch (err) {
    if (init?.signal?.aborted) throw err;
    throw new TypeError("fetch failed", { cause: err });
  }
  const headers = new Headers();
  for (const name in res.headers) {
    const v = res.headers[name];
    if (typeof v === "string") headers.append(name, v);
    else if (v !== undefined) for (const one of v) headers.append(name, one);
  }
  const status = res.statusCode;
  if (status === 204 || status === 205 || status === 304 || method === "HEAD") {
    await res.body.dump();
    return new Response(null, { status, headers });
  }
  return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status, headers });
}

/** A fetch `HeadersInit` as the plain record the dispatcher takes. */
function plainHeaders(h: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h === undefined) return out;
  if (h instanceof Headers || Array.isArray(h)) {
    for (const [k, v] of h instanceof Headers ? h.entries() : h) out[k.toLowerCase()] = out[k.toLowerCase()] === undefined ? v : `${out[k.toLowerCase()]}, ${v}`;
    return out;
  }
  for (const k in h) {
    const v = (h as Record<string, string | undefined>)[k];
    if (v !== undefined) out[k.toLowerCase()] = v;
  }
  return out;
}
