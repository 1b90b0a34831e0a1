import { describe, expect, test } from "vitest";
import { outputMatches, shellBlocks } from "./markdown.js";

describe("docs runner: reading blocks", () => {
  test("markers, steps and expected outputs", () => {
    const md = [
      "Intro",
      "<!-- docs: skip -->",
      "```sh",
      "npm install",
      "```",
      "",
      "<!-- docs: server -->",
      "```sh",
      "npm start &",
      "```",
      "```json",
      '{"not": "run"}',
      "```",
      "```sh",
      "X=$(echo 1)",
      "echo $X",
      "# → 1",
      "echo '{\"a\": 1,'",
      "echo '\"b\": 2}'",
      '# → {"a": 1,',
      '#    "b": 2}',
      "# a comment, not output",
      "echo done",
      "```",
    ].join("\n");
    const blocks = shellBlocks(md);
    expect(blocks.map((b) => [b.skip, b.server])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ]);
    expect(blocks[2]!.steps).toEqual([
      { code: "X=$(echo 1)\necho $X", expected: "1", line: 15 },
      { code: "echo '{\"a\": 1,'\necho '\"b\": 2}'", expected: '{"a": 1,\n  "b": 2}', line: 18 },
      { code: "# a comment, not output\necho done", expected: null, line: 22 },
    ]);
    expect(() => shellBlocks("<!-- docs: skpi -->\n```sh\nls\n```")).toThrow(/unknown marker/);
  });
});

describe("docs runner: comparing outputs", () => {
  test("JSON without wildcards compares values", () => {
    expect(outputMatches('{"a": 1, "b": [1, 2]}', '{"b":[1,2],"a":1}')).toBe(true);
    expect(outputMatches('{"a": 1}', '{"a":1,"b":2}')).toBe(false);
    expect(outputMatches('{"a": 1}', '{"a":"1"}')).toBe(false);
    expect(outputMatches('{"a": 1}', "not json")).toBe(false);
  });

  test("… matches any text, in JSON and in text", () => {
    expect(outputMatches('{"id": "key_…", …, "status": "active"}', '{"id":"key_01x","name":"n","status":"active"}')).toBe(true);
    expect(outputMatches('{"id": "key_…", …, "status": "active"}', '{"id":"key_01x","name":"n","status":"leaked"}')).toBe(false);
    expect(outputMatches("HTTP/1.1 202 Accepted\nx-request-id: req_…\n…\n{\"status\":\"received\"}", "HTTP/1.1 202 Accepted\r\nx-request-id: req_1\r\ndate: x\r\n\r\n{\"status\":\"received\"}")).toBe(true);
    expect(outputMatches("HTTP/1.1 202 Accepted\n…", "HTTP/1.1 401 Unauthorized\n")).toBe(false);
  });

  test("text compares line by line", () => {
    expect(outputMatches("204", "204\n")).toBe(true);
    expect(outputMatches("204", "404\n")).toBe(false);
    expect(outputMatches("3 202\n2 429", "      3 202\n      2 429\n")).toBe(true);
  });
});
