/**
 * Reads the runnable parts of a Markdown page (the convention is in docs/README.md):
 * fenced `sh`/`bash`/`shell` blocks, in order, each split into steps that end where an expected
 * output (`# → …`) is shown.
 */

export type Step = {
  /** The shell code run for this step (the lines since the previous expected output). */
  code: string;
  /** The output shown for it (`# → ` lines), or null when none is shown. */
  expected: string | null;
  /** 1-based line of the step's first code line in the Markdown file. */
  line: number;
};

export type Block = {
  /** 1-based line of the opening fence. */
  line: number;
  text: string;
  /** `<!-- docs: skip -->`: shown, not run. */
  skip: boolean;
  /** `<!-- docs: server -->`: starts the server; run in the background, then waited for. */
  server: boolean;
  steps: Step[];
};

const RUNNABLE = new Set(["sh", "bash", "shell", "console"]);
const KNOWN_MARKERS = new Set(["skip", "server"]);
const MARKER = /^<!--\s*docs:\s*([a-z-]+)\s*-->\s*$/;
const EXPECT = /^\s*# → ?(.*)$/;
const CONTINUATION = /^\s*#( {2,}.*)$/;

/** Every runnable shell block of a Markdown text, with the markers that precede it. */
export function shellBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  let markers: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line.trim());
    if (marker) {
      markers.push(marker[1]!);
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (!fence) {
      if (line.trim() !== "") markers = [];
      continue;
    }
    const close = fence[2]!;
    const lang = fence[3]!.toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(close)) body.push(lines[j++]!);
    if (RUNNABLE.has(lang)) {
      for (const m of markers) if (!KNOWN_MARKERS.has(m)) throw new Error(`line ${i}: unknown marker <!-- docs: ${m} -->`);
      blocks.push({
        line: i + 1,
        text: body.join("\n"),
        skip: markers.includes("skip"),
        server: markers.includes("server"),
        steps: splitSteps(body, i + 2),
      });
    }
    markers = [];
    i = j;
  }
  return blocks;
}

/** A block's lines as steps: code, then the expected output shown after it. */
export function splitSteps(body: string[], firstLine: number): Step[] {
  const steps: Step[] = [];
  let code: string[] = [];
  let codeLine = firstLine;
  for (let k = 0; k < body.length; k++) {
    const m = EXPECT.exec(body[k]!);
    if (!m) {
      if (code.every((l) => l.trim() === "")) codeLine = firstLine + k;
      code.push(body[k]!);
      continue;
    }
    const expected = [m[1]!];
    while (k + 1 < body.length && !EXPECT.test(body[k + 1]!) && CONTINUATION.test(body[k + 1]!)) {
      expected.push(CONTINUATION.exec(body[++k]!)![1]!.slice(2));
    }
    steps.push({ code: code.join("\n"), expected: expected.join("\n"), line: codeLine });
    code = [];
  }
  if (code.some((l) => l.trim() !== "" && !l.trim().startsWith("#"))) steps.push({ code: code.join("\n"), expected: null, line: codeLine });
  return steps;
}

/** Removes whitespace outside JSON strings (for comparing JSON written with `…` wildcards). */
export function compactJson(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === "\\") out += text[++i] ?? "";
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const normalizeLines = (s: string) =>
  s
    .replace(/\r/g, "")
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .trim();

/** `…` matches any text (newlines included); everything else literally. */
function wildcardRegex(pattern: string): RegExp {
  const parts = pattern.split("…").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[\\s\\S]*?")}$`);
}

/**
 * Whether a command's output is what the page shows. JSON without wildcards is compared as values
 * (key order and spacing aside); JSON with `…` as compact text; anything else line by line, with
 * spaces at either end of a line ignored. `…` stands for any text.
 */
export function outputMatches(expected: string, actual: string): boolean {
  const exp = normalizeLines(expected);
  const act = normalizeLines(actual);
  if (!exp.includes("…")) {
    const e = parseJson(exp);
    if (e.ok) {
      const a = parseJson(act);
      return a.ok && deepEqual(e.value, a.value);
    }
    return exp === act;
  }
  if (/^[[{]/.test(exp)) {
    const a = parseJson(act);
    const compactActual = a.ok ? JSON.stringify(a.value) : compactJson(act);
    return wildcardRegex(compactJson(exp)).test(compactActual);
  }
  return wildcardRegex(exp).test(act);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
