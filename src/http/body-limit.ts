import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";

/** The request headers read before the body. */
export type RequestHeaders = {
  authorization: string | undefined;
  contentType: string | undefined;
  contentLength: string | undefined;
  chunked: boolean;
};

/**
 * The four request headers read before the body. On @hono/node-server, one pass over Node's raw
 * header list:
 * reading any header through the Request makes Node build its whole header object first, which
 * costs more than this scan. As in that object, the first of repeated Authorization, Content-Type
 * or Content-Length headers counts. Elsewhere (`app.request` in tests), the Request's headers.
 */
export function requestHeaders(c: Context): RequestHeaders {
  const raw = (c.env as { incoming?: { rawHeaders?: string[] } } | undefined)?.incoming?.rawHeaders;
  if (raw === undefined) {
    return {
      authorization: c.req.header("authorization"),
      contentType: c.req.header("content-type"),
      contentLength: c.req.header("content-length"),
      chunked: c.req.header("transfer-encoding") !== undefined,
    };
  }
  const h: RequestHeaders = { authorization: undefined, contentType: undefined, contentLength: undefined, chunked: false };
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    switch (name.length) {
      case 13:
        if (h.authorization === undefined && name.toLowerCase() === "authorization") h.authorization = raw[i + 1];
        break;
      case 12:
        if (h.contentType === undefined && name.toLowerCase() === "content-type") h.contentType = raw[i + 1];
        break;
      case 14:
        if (h.contentLength === undefined && name.toLowerCase() === "content-length") h.contentLength = raw[i + 1];
        break;
      case 17:
        if (name.toLowerCase() === "transfer-encoding") h.chunked = true;
        break;
    }
  }
  return h;
}

/** Runs `run` unless the body is over the limit, in which case the answer is the 413. */
export type BodyLimiter = <T>(c: Context, h: RequestHeaders, run: () => Promise<T>) => Promise<T | Response>;

/**
 * The body size limit, decided from the headers when they say it all (no promise added: `run`'s
 * is the answer); a streamed body (chunked, or without Content-Length) is counted as it arrives
 * by hono's bodyLimit, which touches the raw body only then.
 */
export function bodyLimiter(maxBytes: number, tooLarge: (c: Context) => Response): BodyLimiter {
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return <T>(c: Context, h: RequestHeaders, run: () => Promise<T>): Promise<T | Response> => {
    if (h.contentLength !== undefined && !h.chunked) return Number(h.contentLength) > maxBytes ? Promise.resolve(tooLarge(c)) : run();
    let result: T;
    return streaming(c, async () => {
      result = await run();
    }).then((refused) => (refused instanceof Response ? refused : result));
  };
}
