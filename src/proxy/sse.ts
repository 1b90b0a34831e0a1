import type { UsageTally } from "./usage.js";

const BOUNDARY = /\r?\n\r?\n/g;
const USAGE = /"usage"\s*:\s*\{/;
const encoder = new TextEncoder();

/**
 * Watches a provider's SSE stream as it passes through, chunk by chunk: every complete event that
 * carries usage is read into `tally`. With `dropUsageChunk` (an OpenAI stream whose client did not
 * ask for `stream_options.include_usage`, which Tollgate asked the provider for) the event that
 * carries only usage (`"choices": []`) is left out. Returns what to send on for each chunk: the
 * chunk itself whenever nothing is left out (no copy); otherwise the complete events kept, with an
 * incomplete trailing event held back until its end arrives.
 */
export class SseWatcher {
  private rest = "";
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly tally: UsageTally,
    private readonly dropUsageChunk: boolean,
  ) {}

  push(chunk: Uint8Array): Uint8Array | null {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    let end = -1;
    for (const m of text.matchAll(BOUNDARY)) end = m.index + m[0].length;
    if (end < 0) {
      this.rest = text;
      return this.dropUsageChunk ? null : chunk;
    }
    const complete = text.slice(0, end);
    const heldBefore = this.rest.length > 0;
    this.rest = text.slice(end);
    if (!USAGE.test(complete)) {
      if (!this.dropUsageChunk) return chunk;
      return !heldBefore && this.rest.length === 0 ? chunk : encoder.encode(complete);
    }
    let kept = "";
    let dropped = false;
    for (const event of splitEvents(complete)) {
      if (USAGE.test(event)) {
        const data = dataOf(event);
        this.tally.fromEvent(data);
        if (this.dropUsageChunk && isUsageOnly(data)) {
          dropped = true;
          continue;
        }
      }
      kept += event;
    }
    if (!this.dropUsageChunk) return chunk;
    if (!dropped && !heldBefore && this.rest.length === 0) return chunk;
    return kept.length > 0 ? encoder.encode(kept) : null;
  }

  /** Whatever is held back when the stream ends (an event without its closing blank line). */
  flush(): Uint8Array | null {
    const tail = this.rest + this.decoder.decode();
    this.rest = "";
    if (tail.length === 0) return null;
    if (USAGE.test(tail)) {
      const data = dataOf(tail);
      this.tally.fromEvent(data);
      if (this.dropUsageChunk && isUsageOnly(data)) return null;
    }
    return this.dropUsageChunk ? encoder.encode(tail) : null;
  }
}

/** The events of a text made of complete events, each with its closing blank line. */
function splitEvents(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index + m[0].length;
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** The parsed JSON of an event's `data:` lines; undefined when there is none or it is not JSON. */
function dataOf(event: string): unknown {
  let data = "";
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(line.startsWith("data: ") ? 6 : 5);
  }
  if (!data || data === "[DONE]") return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

const isUsageOnly = (data: unknown): boolean => {
  const choices = (data as { choices?: unknown } | undefined)?.choices;
  return Array.isArray(choices) && choices.length === 0;
};
