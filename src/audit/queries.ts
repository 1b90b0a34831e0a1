import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { auditEvents } from "../db/schema.js";

/** At most `limit` of the team's audit events, newest first; only those older than `until` (an event id) when given. */
export async function listAuditEvents(db: Db, teamId: string, until: string | undefined, limit: number) {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.teamId, teamId), until ? lt(auditEvents.id, until) : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}
