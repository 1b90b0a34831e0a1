import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { usageEvents } from "../db/schema.js";

/** The team's usage event recorded for this request id; undefined when none (yet). */
export async function findUsageByRequestId(db: Db, teamId: string, requestId: string) {
  const [row] = await db
    .select()
    .from(usageEvents)
    .where(and(eq(usageEvents.teamId, teamId), eq(usageEvents.requestId, requestId)))
    .limit(1);
  return row;
}
