import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../http/context.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { badRequest } from "../http/errors.js";
import type { Metering } from "../proxy/metering.js";
import { UsageTally } from "../proxy/usage.js";
import { worstCaseOf } from "../quotas/estimate.js";
import { answerHeaders, COMMON, readBodyText, refusals } from "./ai_language_model.js";
import { BASES, requireCredential, type SpecVersion } from "./caller.js";
import { callWithFallbacks, checkSpecVersion, modelHeader, parseBody, recordCall, type Meter } from "./call.js";
import { embeddingModel } from "./models.js";
import { toJson } from "./wire.js";

/** At most this many values per call (what `@ai-sdk/gateway` sends at most: `maxEmbeddingsPerCall`). */
export const MAX_VALUES = 2048;

export const embeddingModelRoute = (spec: SpecVersion) =>
  createRoute({
    operationId: `aiSdkEmbeddingModelV${spec}`,
    method: "post",
    path: `${BASES[spec]}/embedding-model`,
    tags: ["AI SDK gateway protocol"],
    summary: `Embed values (specification version ${spec}: \`ai\` ${spec + 3})`,
    description: `${COMMON} Anthropic has no embeddings API (400).`,
    security: [{ gatewayKey: [] as string[] }],
    request: {
      headers: z.object({
        "ai-model-id": z.string().openapi({ description: "The model, `provider/model`.", example: "openai/text-embedding-3-small" }),
        "ai-embedding-model-specification-version": z.literal(String(spec)).optional(),
      }),
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({ values: z.array(z.string()).min(1).max(MAX_VALUES), dimensions: z.number().int().positive().optional(), providerOptions: z.record(z.string(), z.unknown()).optional() })
              .openapi({ example: { values: ["sunny day at the beach"] } }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "The embeddings, in the order of `values`.",
        content: {
          "application/json": {
            schema: z.object({ embeddings: z.array(z.array(z.number())), usage: z.object({ tokens: z.number() }).optional(), providerMetadata: z.record(z.string(), z.unknown()).optional(), warnings: z.array(z.unknown()) }),
          },
        },
      },
      ...refusals([400, 401, 402, 403, 404, 413, 429, 502, 504]),
    },
  });

export async function handleEmbeddingModel(c: Context<AppEnv>, deps: DataPlaneDeps, metering: Metering, spec: SpecVersion): Promise<Response> {
  const credential = requireCredential(c);
  checkSpecVersion(c, "ai-embedding-model-specification-version", spec);
  const modelId = modelHeader(c, "ai-model-id");
  const { body, gateway } = parseBody(await readBodyText(c), modelId);
  const { values, dimensions } = body;
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES || !values.every((v) => typeof v === "string")) {
    throw badRequest(`\`values\` must be a list of 1 to ${MAX_VALUES} strings.`, [{ path: "values", message: `1 to ${MAX_VALUES} strings` }]);
  }
  if (dimensions !== undefined && !(typeof dimensions === "number" && Number.isInteger(dimensions) && dimensions > 0)) {
    throw badRequest("`dimensions` must be a positive integer.", [{ path: "dimensions", message: "positive integer" }]);
  }
  const requestId = deps.requestId(c); // also the answer's x-request-id and the log line's id
  // Embeddings produce no output tokens: the worst case is the values' text.
  const input = { values };
  const meter: Meter = { metering, requestId, input, estimate: () => worstCaseOf(input, 0), endUser: gateway.user, tags: gateway.tags };
  const attempt = await callWithFallbacks(c, deps, credential, modelId, gateway, meter, (target, apiKey, signal) => {
    const model = embeddingModel(target.provider, target.upstreamModel, apiKey);
    if (!model) throw badRequest(`'${target.model}': ${target.provider.name} has no embeddings API.`, [{ path: "ai-model-id", message: "no embeddings API" }]);
    return model.doEmbed({
      values: values as string[],
      ...(dimensions !== undefined ? { dimensions: dimensions as number } : {}),
      ...(body.providerOptions ? { providerOptions: body.providerOptions as never } : {}),
      abortSignal: signal,
    });
  });
  attempt.release();
  const { target, value: result, credential: used } = attempt;
  const tally = new UsageTally("openai");
  if (result.usage) {
    tally.seen = true;
    tally.inputTokens = Math.max(0, Math.min(Math.round(result.usage.tokens), 1e9));
  }
  // Without usage from the provider: the values' text, counted.
  recordCall(meter, target, used, tally, tally.seen ? undefined : "");
  const answer = {
    embeddings: result.embeddings,
    ...(result.usage ? { usage: { tokens: result.usage.tokens } } : {}),
    providerMetadata: { ...result.providerMetadata, gateway: { generationId: requestId, model: target.model } },
    warnings: result.warnings ?? [],
  };
  return new Response(toJson(answer), { status: 200, headers: { "content-type": "application/json", ...answerHeaders(requestId, target) } });
}
