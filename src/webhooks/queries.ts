import { and, asc, count, desc, eq, getTableColumns, lt } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { teams, webhookDeliveries, webhookEndpoints, webhookEvents } from "../db/schema.js";
import type { WebhookRow } from "./schemas.js";

/** The endpoint with this id, in any team; undefined when none. */
export async function findWebhook(db: Db, id: string): Promise<WebhookRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).limit(1);
  return row;
}

/** The team's endpoints, oldest first (by id). */
export async function listWebhooks(db: Db, teamId: string): Promise<WebhookRow[]> {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.teamId, teamId)).orderBy(asc(webhookEndpoints.id));
}

/** Locks the team's row `FOR NO KEY UPDATE` until the transaction ends: endpoint creations for one team serialize. */
export async function lockTeamForWebhookCreate(tx: Db, teamId: string): Promise<void> {
  await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("no key update");
}

/** How many endpoints the team holds. */
export async function countWebhooks(db: Db, teamId: string): Promise<number> {
  const [held] = await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.teamId, teamId));
  return Number(held?.n ?? 0);
}

/** Inserts an endpoint; returns the new row. */
export async function insertWebhook(db: Db, values: typeof webhookEndpoints.$inferInsert): Promise<WebhookRow> {
  const [row] = await db.insert(webhookEndpoints).values(values).returning();
  return row!;
}

/** The endpoint with this id, locked `FOR UPDATE` until the transaction ends; undefined when none. */
export async function lockWebhook(tx: Db, id: string): Promise<WebhookRow | undefined> {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for("update");
  return row;
}

/** Applies `set` to the endpoint with this id; returns the updated row (undefined when none). */
export async function updateWebhook(db: Db, id: string, set: Partial<WebhookRow>): Promise<WebhookRow | undefined> {
  const [row] = await db.update(webhookEndpoints).set(set).where(eq(webhookEndpoints.id, id)).returning();
  return row;
}

/** Deletes the endpoint with this id (its deliveries go with it); returns the deleted row, undefined when none. */
export async function deleteWebhook(db: Db, id: string): Promise<WebhookRow | undefined> {
  const [deleted] = await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning();
  return deleted;
}

/**
 * At most `limit` deliveries of the endpoint, newest event first, each with its event's type;
 * only events older than `until` (an event id) when given.
 */
export async function listDeliveries(db: Db, endpointId: string, until: string | undefined, limit: number) {
  return db
    .select({ ...getTableColumns(webhookDeliveries), type: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.endpointId, endpointId), until ? lt(webhookDeliveries.eventId, until) : undefined))
    .orderBy(desc(webhookDeliveries.eventId))
    .limit(limit);
}
