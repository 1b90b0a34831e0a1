import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { subjectOfCaller } from "../gateway/authorize.js";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { ApiError, badRequest } from "../http/errors.js";
import { refusals } from "./ai_language_model.js";
import { readCaller } from "./caller.js";
import { findUsageByRequestId } from "./queries.js";

const Generation = z.object({
  id: z.string(),
  total_cost: z.number().openapi({ description: "US dollars." }),
  upstream_inference_cost: z.number(),
  usage: z.number().openapi({ description: "US dollars (the same as `total_cost`)." }),
  created_at: z.string(),
  model: z.string(),
  is_byok: z.boolean(),
  provider_name: z.string(),
  streamed: z.boolean().openapi({ description: "Not recorded by Tollgate: always false." }),
  finish_reason: z.string().openapi({ description: "Not recorded by Tollgate: always `unknown`." }),
  latency: z.number().openapi({ description: "Not recorded by Tollgate: always 0." }),
  generation_time: z.number().openapi({ description: "Not recorded by Tollgate: always 0." }),
  native_tokens_prompt: z.number(),
  native_tokens_completion: z.number(),
  native_tokens_reasoning: z.number(),
  native_tokens_cached: z.number(),
  native_tokens_cache_creation: z.number(),
  billable_web_search_calls: z.number(),
});

export const generationRoute = createRoute({
  operationId: "aiSdkGeneration",
  method: "get",
  path: "/v1/generation",
  tags: ["AI SDK gateway protocol"],
  summary: "One request's model, cost and tokens",
  description:
    "What `gateway.getGenerationInfo({ id })` reads: the usage recorded for a request, by its id (`x-tollgate-request-id`, also `providerMetadata.gateway.generationId`). A gateway key sees its own requests, an OIDC token its project's. Usage is recorded shortly after the answer (404 until then): the gateway's reports are written in batches, held up to 20 ms for others to join, then committed.",
  security: [{ gatewayKey: [] as string[] }],
  request: { query: z.object({ id: z.string().openapi({ example: "req_0b7c6f1e-4a1d-4a55-9a8e-1f2d3c4b5a69" }) }) },
  responses: {
    200: { description: "The request.", content: { "application/json": { schema: z.object({ data: Generation }) } } },
    ...refusals([400, 401, 403, 404]),
  },
});

export async function handleGeneration(c: Context<AppEnv>, deps: DataPlaneDeps): Promise<Response> {
  const caller = await readCaller(c, deps);
  const id = c.req.query("id");
  if (!id || id.length > 200) throw badRequest("`id` is required: a request id (`x-tollgate-request-id`).", [{ path: "id", message: "required" }]);
  const subject = subjectOfCaller(caller);
  const row = await findUsageByRequestId(deps.db, caller.teamId, id);
  const mine = row && (subject.keyId !== null ? row.keyId === subject.keyId : row.projectId === subject.projectId);
  if (!row || !mine) throw new ApiError("not_found", `No generation '${id.slice(0, 200)}' for this key (usage is recorded a moment after the answer).`);
  const cost = row.costMicros / 1e6;
  return c.json({
    data: {
      id: row.requestId,
      total_cost: cost,
      upstream_inference_cost: cost,
      usage: cost,
      created_at: new Date(row.createdAt).toISOString(),
      model: row.model,
      is_byok: row.byok,
      provider_name: row.model.slice(0, row.model.indexOf("/")),
      streamed: false,
      finish_reason: "unknown",
      latency: 0,
      generation_time: 0,
      native_tokens_prompt: row.inputTokens ?? 0,
      native_tokens_completion: row.outputTokens ?? 0,
      native_tokens_reasoning: row.reasoningTokens ?? 0,
      native_tokens_cached: row.cacheReadTokens ?? 0,
      native_tokens_cache_creation: row.cacheWriteTokens ?? 0,
      billable_web_search_calls: 0,
    },
  });
}
