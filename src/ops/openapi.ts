/**
 * Adds the 503 every operation can answer while the database is unavailable (see
 * docs/operations.md) to an OpenAPI document, as one shared response component.
 */
export function withUnavailable<D extends object>(document: D): D {
  const doc = document as { paths?: Record<string, Record<string, unknown>>; components?: Record<string, unknown> };
  const components = (doc.components ??= {}) as { responses?: Record<string, unknown> };
  (components.responses ??= {}).ServiceUnavailable = {
    description:
      "The database is unavailable (`service_unavailable`); retry after `Retry-After` seconds. On `POST /v1/gateway/usage`, retry with the same `requestId`: reports are idempotent.",
    headers: { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } },
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      const responses = (op as { responses?: Record<string, unknown> }).responses;
      if (responses && !responses["503"]) responses["503"] = { $ref: "#/components/responses/ServiceUnavailable" };
    }
  }
  return document;
}
