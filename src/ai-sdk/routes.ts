import type { Context } from "hono";
import { bodyLimiter, requestHeaders } from "../http/body-limit.js";
import type { App, AppEnv } from "../http/context.js";
import type { DataPlane } from "../http/data-plane.js";
import { ApiError } from "../http/errors.js";
import { Metering } from "../proxy/metering.js";
import { configRoute, handleConfig } from "./ai_config.js";
import { embeddingModelRoute, handleEmbeddingModel } from "./ai_embedding_model.js";
import { handleLanguageModel, languageModelRoute, MAX_BODY_BYTES } from "./ai_language_model.js";
import { failure, type SpecVersion } from "./caller.js";
import { gatewayErrorResponse } from "./errors.js";
import { creditsRoute, handleCredits } from "./v1_credits.js";
import { generationRoute, handleGeneration } from "./v1_generation.js";
import { handleReport, reportRoute } from "./v1_report.js";

/**
 * The AI SDK's gateway protocol (`@ai-sdk/gateway` 4 at `/v4/ai`, 3 at `/v3/ai`, and the root
 * `/v1/credits`, `/v1/report`, `/v1/generation`), served on the data-plane lane like the
 * gateway's OpenAI- and Anthropic-compatible routes. Every failure answers in the protocol's error
 * shape. Returns its metering (requests priced at 0 for /metrics).
 */
export function registerAiSdk(app: App, dataPlane: DataPlane): Metering {
  const deps = dataPlane.deps;
  const metering = new Metering(deps);
  const limit = bodyLimiter(MAX_BODY_BYTES, () =>
    gatewayErrorResponse(new ApiError("payload_too_large", `Request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB.`)),
  );
  const guard = (handle: (c: Context<AppEnv>) => Promise<Response>) => async (c: Context<AppEnv>) => {
    try {
      return await handle(c);
    } catch (err) {
      return failure(deps, err, c);
    }
  };
  const post = (handle: (c: Context<AppEnv>) => Promise<Response>) => (c: Context<AppEnv>) => limit(c, requestHeaders(c), () => guard(handle)(c));
  for (const spec of [4, 3] as SpecVersion[]) {
    const config = configRoute(spec);
    dataPlane.serve("GET", config.path, guard((c) => handleConfig(c, deps, metering.prices, spec)), config);
    const lm = languageModelRoute(spec);
    dataPlane.serve("POST", lm.path, post((c) => handleLanguageModel(c, deps, metering, spec)), lm);
    const em = embeddingModelRoute(spec);
    dataPlane.serve("POST", em.path, post((c) => handleEmbeddingModel(c, deps, metering, spec)), em);
  }
  dataPlane.serve("GET", creditsRoute.path, guard((c) => handleCredits(c, deps)), creditsRoute);
  dataPlane.serve("GET", reportRoute.path, guard((c) => handleReport(c, deps)), reportRoute);
  dataPlane.serve("GET", generationRoute.path, guard((c) => handleGeneration(c, deps)), generationRoute);
  return metering;
}
