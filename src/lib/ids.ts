import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulidx";

/**
 * Uniform numbers in [0, 1) for the ULID's random part, from crypto-random words drawn 1,024 at a
 * time (ulidx's default makes one `getRandomValues` call per character, which showed in the usage
 * path's profile).
 */
const pool = new Uint32Array(1024);
let drawn = pool.length;
function pooledRandom(): number {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  return pool[drawn++]! / 2 ** 32;
}

const ulid = monotonicFactory(pooledRandom);

export const ID_PREFIXES = {
  team: "team",
  user: "user",
  token: "tok",
  apiKey: "key",
  rule: "rule",
  project: "prj",
  credential: "cred",
  budget: "bdg",
  event: "evt",
  usage: "use",
  webhook: "wh",
  /** A webhook event: the `webhook-id` header of its deliveries. */
  webhookEvent: "msg",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Prefixed, time-sortable ids: `key_01JD...`. The ULID part sorts by creation time
 * (monotonic within a process), so ordering by id is ordering by creation.
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}
