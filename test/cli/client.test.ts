/** The typed client as a TypeScript user imports it: `tollgate/client` (package.json "exports"). */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SCHEMA_PATH, generateClientSchema } from "../../scripts/client.js";
import { createTollgateClient, type ApiKey } from "tollgate/client";
import { createTeamFx, type TeamFx } from "../helpers/fixtures.js";
import { serveHarness } from "./helpers.js";

let server: { url: string; close: () => Promise<void> };
let team: TeamFx;
beforeAll(async () => {
  [server, team] = await Promise.all([serveHarness(), createTeamFx()]);
});
afterAll(() => server?.close());

describe("tollgate/client (openapi-fetch over the generated types)", () => {
  it("src/client/schema.ts is what openapi.yaml generates (run `npm run openapi` after changing a route)", async () => {
    expect(readFileSync(CLIENT_SCHEMA_PATH, "utf8")).toBe(await generateClientSchema());
  });

  it("creates, reads and deletes a key over HTTP; a refusal comes back as the typed error envelope", async () => {
    const tg = createTollgateClient({ baseUrl: server.url + "/", token: team.member.token });
    const created = await tg.POST("/v1/api-keys", {
      params: { query: { slug: team.slug } },
      body: { purpose: "ai-gateway", name: "typed", aiGatewayQuota: { limitAmount: 100, refreshPeriod: "monthly" } },
    });
    expect(created.response.status).toBe(200);
    const key: ApiKey = created.data!.apiKey;
    expect(created.data!.apiKeyString).toMatch(/^tgk_/);
    expect(key).toMatchObject({ name: "typed", teamId: team.id, quota: { limitAmount: 100, refreshPeriod: "monthly" } });

    const read = await tg.GET("/v1/api-keys/{id}", { params: { path: { id: key.id }, query: { teamId: team.id } } });
    expect(read.data!.apiKey).toEqual(key);

    const removed = await tg.DELETE("/v1/api-keys/{id}", { params: { path: { id: key.id }, query: { teamId: team.id } } });
    expect(removed.response.status).toBe(204);
    expect(removed.error).toBeUndefined();

    const again = await tg.DELETE("/v1/api-keys/{id}", { params: { path: { id: key.id }, query: { teamId: team.id } } });
    expect(again.response.status).toBe(404);
    expect(again.error!.error.code).toBe("not_found");

    const anonymous = await createTollgateClient({ baseUrl: server.url }).GET("/v1/user");
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error!.error.code).toBe("unauthorized");
  });
});
