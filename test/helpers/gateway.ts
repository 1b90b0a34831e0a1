import type { App } from "../../src/http/context.js";
import { call, GATEWAY_TOKEN, uniq } from "./harness.js";

export function authorize(credential: string, model = "openai/gpt-5", app?: App) {
  return call("POST", "/v1/gateway/authorize", { token: GATEWAY_TOKEN, body: { credential, model }, app });
}

export function report(keyId: string, costUsd: number, opts: { byok?: boolean; requestId?: string; app?: App; model?: string } = {}) {
  return call("POST", "/v1/gateway/usage", {
    token: GATEWAY_TOKEN,
    app: opts.app,
    body: { keyId, requestId: opts.requestId ?? uniq("req"), model: opts.model ?? "openai/gpt-5", costUsd, byok: opts.byok },
  });
}
