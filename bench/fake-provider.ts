/** The fake OpenAI-compatible provider of the tests, on PORT, for `npm run bench -- --gateway`. */
import { startFakeOpenAI } from "../test/proxy/fake-providers.js";

await startFakeOpenAI([process.env.FAKE_PROVIDER_KEY ?? "sk-bench"], Number(process.env.PORT));
