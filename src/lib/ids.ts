import { monotonicFactory } from "ulidx";

const ulid = monotonicFactory();

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
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * Prefixed, time-sortable ids: `key_01JD...`. The ULID part sorts by creation time
 * (monotonic within a process), so ordering by id is ordering by creation.
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${ulid().toLowerCase()}`;
}
