import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { loadConfig, type Config } from "../../src/config.js";
import type { App } from "../../src/http/context.js";
import type { PriceOverrides } from "../../src/proxy/prices.js";
import { getHarness } from "../helpers/harness.js";
import { startFakeAnthropic, startFakeOpenAI, type FakeProvider } from "./fake-providers.js";

export const SYSTEM_OPENAI_KEY = "sk-system";
export const SYSTEM_ANTHROPIC_KEY = "sk-ant-system";

export type GatewayFx = {
  app: App;
  /** The app served on 127.0.0.1 (for the SDKs and disconnects). */
  url: string;
  openai: FakeProvider;
  anthropic: FakeProvider;
  close(): Promise<void>;
};

/** Fixed prices (TOLLGATE_PRICES) for some of the fakes' models (the others: the package's table), in US dollars per million tokens. */
export const TEST_PRICES: PriceOverrides = {
  "openai/house-model": { input: 2, output: 8 },
  /** $0.10 a token: one request crosses a $1 budget. */
  "openai/pricey-model": { input: 100_000, output: 100_000 },
  "anthropic/*": { input: 3, output: 15 },
};

/**
 * A gateway app in front of fresh fake providers (OpenAI at OPENAI_BASE_URL, Anthropic at
 * ANTHROPIC_BASE_URL, both with system keys; groq known but with no credential), served on a
 * random port. Configured through the same environment variables `npm start` reads.
 */
export async function startGateway(
  opts: { env?: Record<string, string> | ((fakes: { openai: FakeProvider; anthropic: FakeProvider }) => Record<string, string>); config?: Partial<Config> } = {},
): Promise<GatewayFx> {
  const h = await getHarness();
  const [openai, anthropic] = await Promise.all([startFakeOpenAI([SYSTEM_OPENAI_KEY]), startFakeAnthropic([SYSTEM_ANTHROPIC_KEY])]);
  const env = loadConfig({
    OPENAI_BASE_URL: `${openai.url}/v1`,
    OPENAI_API_KEY: SYSTEM_OPENAI_KEY,
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: SYSTEM_ANTHROPIC_KEY,
    ...(typeof opts.env === "function" ? opts.env({ openai, anthropic }) : opts.env),
  });
  const app = h.makeApp({ config: { providers: env.providers, priceOverrides: TEST_PRICES, upstreamTimeoutMs: env.upstreamTimeoutMs, ...opts.config } });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    url,
    openai,
    anthropic,
    async close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}

let shared: Promise<GatewayFx> | undefined;

/** One gateway per worker for tests that need no special configuration (the route table's). */
export function sharedGateway(): Promise<GatewayFx> {
  shared ??= startGateway();
  return shared;
}

export const openaiClient = (fx: GatewayFx, apiKey: string) => new OpenAI({ apiKey, baseURL: `${fx.url}/v1`, maxRetries: 0 });
export const anthropicClient = (fx: GatewayFx, apiKey: string) => new Anthropic({ apiKey, baseURL: fx.url, maxRetries: 0 });
