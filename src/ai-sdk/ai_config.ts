import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import type { PriceTable } from "../proxy/prices.js";
import { callableModels, modelInfo } from "../proxy/catalog.js";
import { refusals } from "./ai_language_model.js";
import { BASES, readCaller, type SpecVersion } from "./caller.js";

const Pricing = z.object({
  input: z.string().openapi({ description: "US dollars per input token.", example: "0.00000015" }),
  output: z.string().openapi({ example: "0.0000006" }),
  input_cache_read: z.string().optional(),
  input_cache_write: z.string().optional(),
});
const ModelEntry = z.object({
  id: z.string().openapi({ example: "openai/gpt-4o-mini" }),
  name: z.string(),
  description: z.string().optional(),
  pricing: Pricing.optional().openapi({ description: "From the price table (`TOLLGATE_PRICES` over the package's table); absent for a model without a price." }),
  specification: z.object({ specificationVersion: z.enum(["v3", "v4"]), provider: z.string(), modelId: z.string() }),
  modelType: z.enum(["language", "embedding"]),
});

export const configRoute = (spec: SpecVersion) =>
  createRoute({
    operationId: `aiSdkConfigV${spec}`,
    method: "get",
    path: `${BASES[spec]}/config`,
    tags: ["AI SDK gateway protocol"],
    summary: "The models this caller may call, with prices",
    description: [
      "What `gateway.getAvailableModels()` reads. The key's allow-list when it has one; otherwise every model the price table knows for the providers with a",
      "credential (a system `<PROVIDER>_API_KEY`, or a BYOK credential of the team this caller may use), and the exact `TOLLGATE_PRICES` entries;",
      "minus the models a routing rule of the team denies. Prices are US dollars per token, as decimal strings.",
    ].join(" "),
    security: [{ gatewayKey: [] as string[] }],
    responses: {
      200: { description: "The models.", content: { "application/json": { schema: z.object({ models: z.array(ModelEntry) }) } } },
      ...refusals([401, 403]),
    },
  });

type Entry = z.infer<typeof ModelEntry>;

export async function handleConfig(c: Context<AppEnv>, deps: DataPlaneDeps, prices: PriceTable, spec: SpecVersion): Promise<Response> {
  const caller = await readCaller(c, deps);
  const models: Entry[] = (await callableModels(deps, caller)).map((id) => entry(id, prices, spec));
  return c.json({ models });
}

const MILLION = 1_000_000;
const ZERO = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

/** Dollars per token from the micro-dollars a million tokens cost: exact to 1e-12 dollars. */
const perToken = (microsPerMillion: number) => {
  const s = (microsPerMillion / 1e12).toFixed(12).replace(/\.?0+$/, "");
  return s === "" ? "0" : s;
};

function entry(id: string, prices: PriceTable, spec: SpecVersion): Entry {
  const slash = id.indexOf("/");
  const provider = id.slice(0, slash);
  const model = id.slice(slash + 1);
  const cost = (u: Partial<typeof ZERO>) => prices.costMicros(provider, model, { ...ZERO, ...u });
  const input = cost({ inputTokens: MILLION });
  const output = cost({ outputTokens: MILLION });
  const cacheRead = cost({ inputTokens: MILLION, cacheReadTokens: MILLION });
  const cacheWrite = cost({ inputTokens: MILLION, cacheWriteTokens: MILLION });
  const info = modelInfo(id);
  return {
    id,
    name: info?.name ?? model,
    ...(info?.description ? { description: info.description } : {}),
    ...(input !== null && output !== null
      ? {
          pricing: {
            input: perToken(input),
            output: perToken(output),
            ...(cacheRead !== null ? { input_cache_read: perToken(cacheRead) } : {}),
            ...(cacheWrite !== null ? { input_cache_write: perToken(cacheWrite) } : {}),
          },
        }
      : {}),
    specification: { specificationVersion: `v${spec}`, provider, modelId: id },
    modelType: /embed/i.test(model) ? "embedding" : "language",
  };
}
