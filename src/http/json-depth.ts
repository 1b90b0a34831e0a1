import { badRequest } from "./errors.js";

/** How deep a JSON body may nest objects and arrays (the body itself is level 1). */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of objects and arrays in a JSON text, scanned without parsing (brackets
 * inside strings do not count), stopping as soon as it passes `max`. Malformed text is left to
 * the parser.
 */
export function jsonDepthOver(text: string, max = MAX_JSON_DEPTH): boolean {
  // A depth over `max` takes more than `max` characters.
  if (text.length <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 /* { */ || ch === 91 /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 125 /* } */ || ch === 93 /* ] */) depth--;
  }
  return false;
}

/**
 * 400 for a body nested deeper than `MAX_JSON_DEPTH`: deeper values would overflow the stack
 * wherever they are walked or serialized (validation, storage, answers), a 500.
 */
export function rejectDeepJson(text: string): void {
  if (jsonDepthOver(text)) {
    throw badRequest(`Invalid request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`, [
      { path: "(body)", message: `must not nest objects and arrays deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  }
}

/**
 * A request body that must be a JSON object (the gateway's surfaces): parsed, at most
 * `MAX_JSON_DEPTH` deep, else a 400 saying which of the three it is not.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest("Invalid request body: Malformed JSON in request body");
  }
  rejectDeepJson(text);
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw badRequest("The request body must be a JSON object.");
  return body as Record<string, unknown>;
}
