import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { Webhook } from "standardwebhooks";
import { checkTarget, guardedLookup, hostOf, RefusedAddress } from "./address.js";

export const DELIVERY_TIMEOUT_MS = 5000;
const USER_AGENT = "Tollgate-Webhooks/0.1";
/** At most this much of a receiver's answer is read (and then dropped). */
const MAX_ANSWER_BYTES = 64 * 1024;

export type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/**
 * The Standard Webhooks headers for a message: `webhook-id`, `webhook-timestamp` (seconds) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, from the `standardwebhooks`
 * library, under the `whsec_…` secret's bytes).
 */
export function signedHeaders(secret: string, msgId: string, at: Date, body: string): Record<string, string> {
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(msgId, at, body),
  };
}

/**
 * POSTs one message: 2xx is delivered; anything else (another status, a redirect, which is never
 * followed, a refused address, a connection error, no complete answer within `timeoutMs`) is a
 * failed attempt, described in `error` (never with the URL, which can hold a token).
 */
export function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs?: number; allowPrivate: boolean },
): Promise<SendResult> {
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve({ ok: false, status: null, error: "invalid URL" });
  }
  return (async (): Promise<SendResult> => {
    // An IP in the URL is connected to without a lookup: checked here (a name is checked by the lookup).
    if (isIP(hostOf(url))) {
      const refused = await checkTarget(url, opts.allowPrivate);
      if (refused) return { ok: false, status: null, error: refused };
    }
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const done = (r: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(url, {
        method: "POST",
        agent: false,
        lookup: guardedLookup(opts.allowPrivate) as never,
        headers: { "content-type": "application/json", "user-agent": USER_AGENT, "content-length": Buffer.byteLength(body), ...headers },
      });
      const timer = setTimeout(() => {
        done({ ok: false, status: null, error: `no answer within ${timeoutMs / 1000} s` });
        req.destroy();
      }, timeoutMs);
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (err instanceof RefusedAddress) return done({ ok: false, status: null, error: err.message });
        done({ ok: false, status: null, error: err.code ? `connection failed (${err.code})` : `connection failed (${err.message})` });
      });
      req.on("response", (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        const finish = () => {
          if (status >= 200 && status < 300) done({ ok: true, status });
          else if (status >= 300 && status < 400) done({ ok: false, status, error: `HTTP ${status}: redirects are not followed` });
          else done({ ok: false, status, error: `HTTP ${status}` });
        };
        res.on("end", finish);
        res.on("close", finish);
        res.on("error", finish);
      });
      req.end(body);
    });
  })();
}
