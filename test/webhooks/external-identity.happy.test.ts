import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTeamFx } from "../helpers/fixtures.js";
import { call, getHarness } from "../helpers/harness.js";
import { appTrusting, localIssuer, mapping } from "../oidc/helpers.js";

// A trusted external identity mapped as OWNER (a CI pipeline) manages webhooks; the audit log
// names it as what it is, not as a user.
describe("webhook writes by a trusted external identity", () => {
  let idp: Awaited<ReturnType<typeof localIssuer>>;
  beforeAll(async () => {
    [idp] = await Promise.all([localIssuer(), getHarness()]);
  });
  afterAll(async () => {
    await idp.close();
  });

  it("an OWNER identity creates, updates and deletes a webhook; each audit event's actor is external", async () => {
    const team = await createTeamFx();
    // A receiver on this machine: the setting that allows it (no DNS lookup of a made-up host).
    const app = await appTrusting([{ ...mapping(idp.issuer, team, { team: team.id, role: "OWNER" }), teamId: team.id }], { webhooksAllowPrivate: true });
    const as = { token: await idp.sign(), app };
    const created = await call("POST", "/v1/ai-gateway/webhooks", { ...as, body: { url: "http://127.0.0.1:9/in", events: ["api_key.leaked"] } });
    expect(created.status, created.text).toBe(201);
    const id = created.body.webhook.id as string;
    expect((await call("PATCH", `/v1/ai-gateway/webhooks/${id}`, { ...as, body: { description: "ci" } })).status).toBe(200);
    expect((await call("DELETE", `/v1/ai-gateway/webhooks/${id}`, as)).status).toBe(204);
    const log = await call("GET", `/v1/audit-log?teamId=${team.id}`, { token: team.owner.token });
    const events = (log.body.events as { action: string; actor: { type: string } }[]).filter((e) => e.action.startsWith("webhook."));
    expect(events.map((e) => [e.action, e.actor.type])).toEqual([
      ["webhook.delete", "external"],
      ["webhook.update", "external"],
      ["webhook.create", "external"],
    ]);
  });
});
