import { badRequest } from "./errors.js";

/**
 * Opaque cursors over time-sortable ids: a page is "ids strictly before the cursor",
 * newest first, so paging neither loses nor repeats rows while rows are added.
 */
export function encodeCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[a-z]+_[0-9a-z]{26}$/.test(id)) {
    throw badRequest("Invalid cursor.", [{ path: "until", message: "not a cursor returned by this API" }]);
  }
  return id;
}

/** Given `limit + 1` rows fetched, the page and its pagination block. */
export function paginate<T extends { id: string }>(rows: T[], limit: number) {
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null;
  return { page, pagination: { count: page.length, next, prev: null } };
}
