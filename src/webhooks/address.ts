import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";

/**
 * Where a webhook may be sent. A URL is `http(s)` without credentials in it; its host, once
 * resolved, must not be a private, loopback, link-local (or otherwise non-public: unspecified,
 * multicast, shared CGNAT, reserved) address, unless TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true. The
 * check runs when a URL is stored and again on every connection (the delivery's own DNS lookup, so
 * a name that changes to a private address afterwards is refused too); redirects are not followed.
 */

export const MAX_URL_LENGTH = 2048;

export const ALLOW_PRIVATE_HINT = "set TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true on the server to allow private, loopback and link-local targets";

/** A URL that may be stored, or the reason it may not (for a 400). */
export function checkUrlShape(text: string): { ok: true; url: URL } | { ok: false; message: string } {
  if (text.length > MAX_URL_LENGTH) return { ok: false, message: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "must be an absolute http:// or https:// URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, message: `must be http:// or https:// (not ${url.protocol}//)` };
  if (url.username || url.password) return { ok: false, message: "must not hold a user name or password" };
  if (!url.hostname) return { ok: false, message: "must name a host" };
  return { ok: true, url };
}

type Range = { bytes: number[]; bits: number; kind: string };
const v4 = (cidr: string, kind: string): Range => {
  const [a, bits] = cidr.split("/");
  return { bytes: a!.split(".").map(Number), bits: Number(bits), kind };
};

const V4_RANGES: Range[] = [
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "shared (CGNAT)"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("224.0.0.0/4", "multicast"),
  v4("240.0.0.0/4", "reserved"),
];

const inRange = (bytes: number[], r: Range): boolean => {
  for (let bit = 0; bit < r.bits; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[i]! & mask) !== (r.bytes[i]! & mask)) return false;
  }
  return true;
};

/** The 16 bytes of an IPv6 address (a zone id and an embedded dotted IPv4 allowed), or null. */
function v6Bytes(address: string): number[] | null {
  let a = address.split("%")[0]!;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    tail.push(...dotted[1]!.split(".").map(Number));
    a = a.slice(0, -dotted[1]!.length) + "0:0";
  }
  const halves = a.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((h) => Number.parseInt(h, 16)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const groups = halves.length === 2 ? [...head, ...Array(8 - head.length - rest.length).fill(0), ...rest] : head;
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Why an address is not a public one ("loopback", "private", "link-local", …), or null when it is public. */
export function nonPublicKind(address: string): string | null {
  const family = isIP(address.split("%")[0]!);
  if (family === 4) {
    const bytes = address.split(".").map(Number);
    return V4_RANGES.find((r) => inRange(bytes, r))?.kind ?? null;
  }
  if (family !== 6) return "not an IP address";
  const b = v6Bytes(address);
  if (!b) return "not an IP address";
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 16)) return "unspecified";
  if (zero(0, 15) && b[15] === 1) return "loopback";
  // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:ab:cd::).
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return nonPublicKind(b.slice(12).join("."));
  if (zero(0, 12)) return nonPublicKind(b.slice(12).join("."));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return nonPublicKind(b.slice(12).join("."));
  if (b[0] === 0x20 && b[1] === 0x02) return nonPublicKind(b.slice(2, 6).join("."));
  if ((b[0]! & 0xfe) === 0xfc) return "private (unique local)";
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0x80) return "link-local";
  if (b[0] === 0xfe && (b[1]! & 0xc0) === 0xc0) return "site-local";
  if (b[0] === 0xff) return "multicast";
  return null;
}

/** The message for a refused address (no URL in it: a URL can hold a token). */
export const refusedMessage = (host: string, address: string, kind: string) =>
  `${host} resolves to ${address}, a ${kind} address: refused (${ALLOW_PRIVATE_HINT})`;

export class RefusedAddress extends Error {
  readonly code = "WEBHOOK_ADDRESS_REFUSED";
}

/** The URL's host without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, list) => (err ? reject(err) : resolve(list))));
}

/**
 * Whether the server may send to this URL now: resolves its host (unless it is an IP) and refuses
 * a non-public address unless `allowPrivate`. Null when allowed, else the reason.
 */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await resolveAll(host)).map((a) => a.address);
    } catch (err) {
      return `cannot resolve ${host} (${(err as NodeJS.ErrnoException).code ?? "DNS error"})`;
    }
  }
  for (const a of addresses) {
    const kind = nonPublicKind(a);
    if (kind) return refusedMessage(host, a, kind);
  }
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `http.request` that refuses non-public addresses (unless `allowPrivate`): the
 * addresses checked are the ones connected to, so a DNS answer cannot change in between.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true, family: options.family === "IPv6" ? 6 : options.family === "IPv4" ? 4 : Number(options.family ?? 0) as 0 | 4 | 6 }, (err, list) => {
      if (err) return callback(err, "");
      if (!allowPrivate) {
        for (const a of list) {
          const kind = nonPublicKind(a.address);
          if (kind) return callback(new RefusedAddress(refusedMessage(hostname, a.address, kind)), "");
        }
      }
      if (list.length === 0) return callback(Object.assign(new Error(`cannot resolve ${hostname}`), { code: "ENOTFOUND" }), "");
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
