import { z } from "@hono/zod-openapi";

/**
 * Model ids are `provider/model`.
 *
 * - provider: `^[a-z0-9][a-z0-9._-]{0,63}$` (lowercase, 1-64 chars)
 * - model:    1-128 chars from `[A-Za-z0-9._:@+-]`; `/` may appear inside
 *             (e.g. `openrouter/meta-llama/llama-3-70b`) but not leading,
 *             trailing or doubled. No whitespace.
 *
 * A rule's `match.model` is either an exact model id or `provider/*`
 * (every model of that provider). `*` is not a legal model character, so a
 * wildcard pattern is never a model id and vice versa.
 */

const PROVIDER_SRC = "[a-z0-9][a-z0-9._-]{0,63}";
const MODEL_SEGMENT_SRC = "[A-Za-z0-9._:@+-]+";
// The lookahead bounds the whole model part (including inner slashes) to 1-128 chars.
const MODEL_SRC = `(?=.{1,128}$)${MODEL_SEGMENT_SRC}(?:/${MODEL_SEGMENT_SRC})*`;

export const PROVIDER_RE = new RegExp(`^${PROVIDER_SRC}$`);
export const MODEL_ID_RE = new RegExp(`^${PROVIDER_SRC}/${MODEL_SRC}$`);
export const PROVIDER_WILDCARD_RE = new RegExp(`^${PROVIDER_SRC}/\\*$`);
export const MATCH_MODEL_RE = new RegExp(`^${PROVIDER_SRC}/(?:\\*|${MODEL_SRC})$`);

export const MODEL_ID_MESSAGE =
  "must be a model id of the form provider/model (provider: lowercase [a-z0-9._-], up to 64 chars; model: 1-128 chars of [A-Za-z0-9._:@+-/], no leading, trailing or doubled '/')";

export const MATCH_MODEL_MESSAGE =
  "must be a model id of the form provider/model, or provider/* to match every model of a provider";

export const modelIdSchema = z
  .string()
  .regex(MODEL_ID_RE, { error: MODEL_ID_MESSAGE })
  .describe("A model id of the form provider/model, e.g. openai/gpt-5");

export const matchModelSchema = z
  .string()
  .regex(MATCH_MODEL_RE, { error: MATCH_MODEL_MESSAGE })
  .describe("An exact model id (provider/model) or provider/* for every model of that provider");

export type ModelId = z.infer<typeof modelIdSchema>;
export type MatchModel = z.infer<typeof matchModelSchema>;

/**
 * The provider part of a model id or match pattern: everything before the
 * first `/`. Returns null when there is no `/` or the provider part is empty.
 * Does not validate; cheap (one indexOf + one slice).
 */
export function providerOf(model: string): string | null {
  const slash = model.indexOf("/");
  return slash > 0 ? model.slice(0, slash) : null;
}

/** True iff `pattern` is `provider/*` with a syntactically valid provider. */
export function isProviderWildcard(pattern: string): boolean {
  return PROVIDER_WILDCARD_RE.test(pattern);
}

/** True iff `value` is a syntactically valid `provider/model` id. */
export function isModelId(value: string): boolean {
  return MODEL_ID_RE.test(value);
}
