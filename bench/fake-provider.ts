/**
 * The fake OpenAI-compatible provider of the tests, for `npm run bench -- --gateway` and
 * docs/gateway.md: on PORT (any free port when unset). With FAKE_PROVIDER_DIR, it writes its
 * base URL to `url` (once it listens) and its pid to `pid` there (`kill $(cat …/pid)` stops it).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAI } from "../test/proxy/fake-providers.js";

const fake = await startFakeOpenAI([process.env.FAKE_PROVIDER_KEY ?? "sk-bench"], Number(process.env.PORT ?? 0));
const dir = process.env.FAKE_PROVIDER_DIR;
if (dir) {
  writeFileSync(join(dir, "pid"), `${process.pid}\n`);
  writeFileSync(join(dir, "url"), `${fake.url}/v1\n`);
}
