import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** Bounds the rate limiter's keys (an IPv6 address with a zone id is well under this). */
const MAX_ADDRESS_LENGTH = 100;

/**
 * The client's address, for per-client rate limits: the socket's remote address, or, when
 * `trustProxy` is set (Tollgate runs behind a proxy that sets the header), the first hop of
 * `X-Forwarded-For`. Without a socket (in-process `app.request`, as in tests) and without a
 * trusted header, every client is `"unknown"`, one shared bucket.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const first = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (first) return first.slice(0, MAX_ADDRESS_LENGTH);
  }
  try {
    return getConnInfo(c).remote.address?.slice(0, MAX_ADDRESS_LENGTH) || "unknown";
  } catch {
    return "unknown";
  }
}
