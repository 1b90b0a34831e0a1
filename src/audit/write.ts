import type { Db } from "../db/client.js";
import { auditEvents } from "../db/schema.js";
import type { Principal } from "../http/context.js";
import { newId } from "../lib/ids.js";

export type Actor = { type: "user" | "admin" | "gateway" | "system" | "external"; id: string };

export function actorOf(p: Principal): Actor {
  if (p.kind === "user") return { type: "user", id: p.user.id };
  // Issuers are URLs without a fragment: the first `#` separates the issuer from the subject.
  if (p.kind === "external") return { type: "external", id: `${p.issuer}#${p.subject}` };
  return { type: p.kind, id: p.id };
}

export type AuditInput = {
  teamId: string | null;
  actor: Actor;
  action: string;
  target: { type: string; id: string };
  data?: Record<string, unknown>;
  at: number;
};

/** Writes one audit event. Pass the transaction handle of the mutation it records. */
export async function writeAudit(tx: Db, e: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    id: newId("event"),
    teamId: e.teamId,
    actorType: e.actor.type,
    actorId: e.actor.id,
    action: e.action,
    targetType: e.target.type,
    targetId: e.target.id,
    data: e.data ?? {},
    createdAt: e.at,
  });
}
