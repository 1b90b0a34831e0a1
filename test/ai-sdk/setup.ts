import * as gateway4 from "@ai-sdk/gateway";
import * as ai7 from "ai";
import * as gateway3 from "ai-gateway3";
import * as ai6 from "ai6";
import type { RouteCase } from "../helpers/auth-matrix.js";
import { createKeyFx } from "../helpers/fixtures.js";
import { startGateway, TEST_PRICES, type GatewayFx } from "../proxy/setup.js";
import { startFakeCompatible } from "./fake-compatible.js";
import type { FakeProvider } from "../proxy/fake-providers.js";

export const SYSTEM_GROQ_KEY = "gsk-system";

export type AiFx = GatewayFx & { groq: FakeProvider };

/**
 * The gateway of test/proxy (fake OpenAI and Anthropic) plus a fake OpenAI-compatible provider as
 * `groq` (GROQ_BASE_URL, GROQ_API_KEY), priced at $1/$2 per million tokens.
 */
export async function startAiGateway(config: Record<string, unknown> = {}): Promise<AiFx> {
  const groq = await startFakeCompatible([SYSTEM_GROQ_KEY]);
  const fx = await startGateway({
    env: { GROQ_BASE_URL: `${groq.url}/v1`, GROQ_API_KEY: SYSTEM_GROQ_KEY },
    config: { priceOverrides: { ...TEST_PRICES, "groq/*": { input: 1, output: 2 } }, ...config },
  });
  return {
    ...fx,
    groq,
    async close() {
      await fx.close();
      await groq.close();
    },
  };
}

/** The two majors of the AI SDK, each with its gateway provider package and base path. */
export const MAJORS = [
  { name: "ai 7 (@ai-sdk/gateway 4, /v4/ai)", ai: ai7 as any, gateway: gateway4 as any, base: "/v4/ai" },
  { name: "ai 6 (@ai-sdk/gateway 3, /v3/ai)", ai: ai6 as any, gateway: gateway3 as any, base: "/v3/ai" },
] as const;

export type Major = (typeof MAJORS)[number];

/** `createGateway` of the major, pointed at Tollgate. */
export const gatewayOf = (m: Major, fx: GatewayFx, apiKey: string) => m.gateway.createGateway({ baseURL: `${fx.url}${m.base}`, apiKey });

let shared: Promise<AiFx> | undefined;
export function sharedAiGateway(): Promise<AiFx> {
  shared ??= startAiGateway();
  return shared;
}

/** The protocol's routes for the auth matrix (test/routes.ts). */
export const AI_SDK_ROUTES: RouteCase[] = [
  ...(["/v4/ai", "/v3/ai"] as const).flatMap((base): RouteCase[] => [
    { method: "GET", route: `${base}/config`, scope: "key", write: false, make: async (t) => ({ path: `${base}/config`, token: (await createKeyFx(t)).apiKeyString }) },
    {
      method: "POST",
      route: `${base}/language-model`,
      scope: "key",
      write: false,
      make: async (t) => ({
        path: `${base}/language-model`,
        headers: { "ai-language-model-id": "openai/gpt-4o-mini", "ai-language-model-streaming": "false" },
        body: { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
        token: (await createKeyFx(t)).apiKeyString,
        app: (await sharedAiGateway()).app,
      }),
    },
    {
      method: "POST",
      route: `${base}/embedding-model`,
      scope: "key",
      write: false,
      make: async (t) => ({
        path: `${base}/embedding-model`,
        headers: { "ai-model-id": "openai/text-embedding-3-small" },
        body: { values: ["hi"] },
        token: (await createKeyFx(t)).apiKeyString,
        app: (await sharedAiGateway()).app,
      }),
    },
  ]),
  { method: "GET", route: "/v1/credits", scope: "key", write: false, make: async (t) => ({ path: "/v1/credits", token: (await createKeyFx(t)).apiKeyString }) },
  {
    method: "GET",
    route: "/v1/report",
    scope: "key",
    write: false,
    make: async (t) => ({ path: "/v1/report?start_date=2025-01-01&end_date=2025-01-31", token: (await createKeyFx(t)).apiKeyString }),
  },
  {
    method: "GET",
    route: "/v1/generation",
    scope: "key",
    write: false,
    // An id of no request: the matrix's success case needs a 2xx, so the key must own a generation.
    make: async (t) => {
      const fx = await sharedAiGateway();
      const key = await createKeyFx(t);
      const r = await fetch(`${fx.url}/v4/ai/language-model`, {
        method: "POST",
        headers: { authorization: `Bearer ${key.apiKeyString}`, "content-type": "application/json", "ai-language-model-id": "openai/gpt-4o-mini" },
        body: JSON.stringify({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] }),
      });
      const id = r.headers.get("x-tollgate-request-id")!;
      await waitForUsage(id);
      return { path: `/v1/generation?id=${id}`, token: key.apiKeyString };
    },
  },
];

async function waitForUsage(requestId: string) {
  const { recordedUsage } = await import("../proxy/helpers.js");
  await recordedUsage(requestId);
}
