/** The fake OpenAI-compatible provider of the tests, on PORT, for `npm run bench -- --gateway` and docs/gateway.md. */
import { writeFileSync } from "node:fs";
import { startFakeOpenAI } from "../test/proxy/fake-providers.js";

await startFakeOpenAI([process.env.FAKE_PROVIDER_KEY ?? "sk-bench"], Number(process.env.PORT));
// Where to write this process's pid (`kill $(cat …)` stops it, whatever started it).
if (process.env.FAKE_PROVIDER_PIDFILE) writeFileSync(process.env.FAKE_PROVIDER_PIDFILE, `${process.pid}\n`);
