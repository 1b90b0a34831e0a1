import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { webhookDeliveries, webhookEvents } from "../../src/db/schema.js";
import type { App } from "../../src/http/context.js";
import { systemClock, type Clock } from "../../src/lib/clock.js";
import type { Keyring } from "../../src/lib/keyring.js";
import { createLogger } from "../../src/lib/logger.js";
import { WebhookWorker, type WorkerOptions } from "../../src/webhooks/worker.js";
import type { RouteCase } from "../helpers/auth-matrix.js";
import type { TeamFx } from "../helpers/fixtures.js";
import { call, getHarness, logLines } from "../helpers/harness.js";

export const WEBHOOKS = "/v1/ai-gateway/webhooks";
/** A public address (TEST-NET-3, never answered): an endpoint the harness app accepts without DNS and no test sends to. */
export const PUBLIC_URL = "https://203.0.113.10/hooks/tollgate";

export type Received = {
  headers: IncomingHttpHeaders;
  body: string;
  /** The payload as the standardwebhooks library verified it, or null when verification failed (see `error`). */
  verified: unknown;
  error: string | null;
};

/**
 * A webhook receiver on 127.0.0.1 that verifies every request's signature with the
 * `standardwebhooks` library (against `secret`, set once the endpoint is created). `down()` closes
 * its port (connections are refused), `up()` listens again on the same port; `answer` decides the
 * status of each request (default 204).
 */
export class Receiver {
  secret = "";
  readonly received: Received[] = [];
  answer: (r: Received) => number | Promise<number> = () => 204;
  private server: Server;
  port = 0;

  private constructor() {
    this.server = this.make();
  }

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await r.listen(0);
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Requests whose signature verified. */
  get verified(): Received[] {
    return this.received.filter((r) => r.error === null);
  }

  private make(): Server {
    return createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const got: Received = { headers: req.headers, body, verified: null, error: null };
        try {
          got.verified = new Webhook(this.secret).verify(body, req.headers as Record<string, string>);
        } catch (err) {
          got.error = (err as Error).message;
        }
        this.received.push(got);
        const status = await this.answer(got);
        res.writeHead(status).end();
      });
    });
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Stops listening: connections to its port are refused. */
  async down(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Listens again, on the same port. */
  async up(): Promise<void> {
    this.server = this.make();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }
}

/** An app on the shared database that accepts webhook URLs on 127.0.0.1 (TOLLGATE_WEBHOOKS_ALLOW_PRIVATE=true). */
export async function webhookApp(opts: { clock?: Clock; keyring?: Keyring | null } = {}): Promise<App> {
  if (opts.clock === undefined && opts.keyring === undefined) return (sharedApp ??= webhookApp({ clock: systemClock }));
  return (await getHarness()).makeApp({ config: { webhooksAllowPrivate: true }, ...opts });
}
let sharedApp: Promise<App> | undefined;

export type WebhookBody = { url?: string; events?: string[]; format?: "standard" | "slack"; description?: string | null };

/** Creates an endpoint through the API (all events unless told otherwise); returns it and its secret. */
export async function createWebhookFx(team: TeamFx, body: WebhookBody = {}, opts: { app?: App; token?: string } = {}) {
  const r = await call("POST", `${WEBHOOKS}?teamId=${team.id}`, {
    app: opts.app ?? (await webhookApp()),
    token: opts.token ?? team.owner.token,
    body: { url: PUBLIC_URL, events: ["budget.threshold", "api_key.leaked", "api_key.expiring", "byok.credential_failing"], ...body },
  });
  if (r.status !== 201) throw new Error(`createWebhook: ${r.status} ${r.text}`);
  return r.body as { webhook: { id: string; url: string; events: string[]; enabled: boolean; [k: string]: unknown }; secret: string };
}

/** An endpoint of `team` pointed at `receiver`, whose secret the receiver then verifies with. */
export async function endpointFor(team: TeamFx, receiver: Receiver, body: WebhookBody = {}) {
  const created = await createWebhookFx(team, { url: receiver.url, ...body });
  receiver.secret = created.secret;
  return created.webhook;
}

/** A worker on the shared database for these teams only (tests share the database), delivering to 127.0.0.1. */
export async function workerFor(teams: TeamFx[], opts: WorkerOptions & { clock?: Clock; keyring?: Keyring | null; allowPrivate?: boolean } = {}) {
  const h = await getHarness();
  return new WebhookWorker(
    {
      db: h.database.db,
      clock: opts.clock ?? systemClock,
      keyring: opts.keyring === undefined ? h.keyring : opts.keyring,
      log: createLogger("debug", (l) => logLines.push(l)),
      config: { webhooksAllowPrivate: opts.allowPrivate ?? true },
    },
    { teamIds: teams.map((t) => t.id), ...opts },
  );
}

/** The team's outbox: its events (oldest first) and their deliveries. */
export async function outboxOf(teamId: string) {
  const { database } = await getHarness();
  const events = await database.db.select().from(webhookEvents).where(eq(webhookEvents.teamId, teamId)).orderBy(webhookEvents.id);
  const deliveries = await database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.teamId, teamId)).orderBy(webhookDeliveries.eventId);
  return { events, deliveries };
}

export async function deliveryOf(endpointId: string, eventId: string) {
  const { database } = await getHarness();
  const [row] = await database.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.eventId, eventId)));
  return row;
}

/** Waits (polling the database) until `check` holds: for writes that run on their own (the BYOK fallback's event). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** The webhook routes, for the route table (test/routes.ts) whose auth matrix covers every route. */
export const WEBHOOK_ROUTES: RouteCase[] = [
  {
    method: "POST",
    route: "/v1/ai-gateway/webhooks",
    scope: "team",
    write: "owner",
    make: async (t) => ({ path: `${WEBHOOKS}?teamId=${t.id}`, body: { url: PUBLIC_URL, events: ["api_key.leaked"] } }),
  },
  { method: "GET", route: "/v1/ai-gateway/webhooks", scope: "team", write: false, make: async (t) => ({ path: `${WEBHOOKS}?teamId=${t.id}` }) },
  {
    method: "PATCH",
    route: "/v1/ai-gateway/webhooks/{id}",
    scope: "resource",
    write: "owner",
    make: async (t) => ({ path: `${WEBHOOKS}/${(await createWebhookFx(t)).webhook.id}`, body: { description: "renamed" } }),
  },
  {
    method: "DELETE",
    route: "/v1/ai-gateway/webhooks/{id}",
    scope: "resource",
    write: "owner",
    make: async (t) => ({ path: `${WEBHOOKS}/${(await createWebhookFx(t)).webhook.id}` }),
  },
  {
    method: "POST",
    route: "/v1/ai-gateway/webhooks/{id}/test",
    scope: "resource",
    write: "owner",
    make: async (t) => ({ path: `${WEBHOOKS}/${(await createWebhookFx(t)).webhook.id}/test` }),
  },
  {
    method: "GET",
    route: "/v1/ai-gateway/webhooks/{id}/deliveries",
    scope: "resource",
    write: false,
    make: async (t) => ({ path: `${WEBHOOKS}/${(await createWebhookFx(t)).webhook.id}/deliveries` }),
  },
];
