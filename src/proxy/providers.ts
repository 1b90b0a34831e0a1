/**
 * The providers the gateway knows by name: which API each speaks and where it lives. Base URLs
 * follow each official SDK's convention: OpenAI-compatible ones end in the API version (`…/v1`),
 * Anthropic's is the host (`/v1/messages` is appended), as `OPENAI_BASE_URL` and
 * `ANTHROPIC_BASE_URL` are read by the `openai` and `@anthropic-ai/sdk` clients.
 */
export type ProviderApi = "openai" | "anthropic";

export const KNOWN_PROVIDERS: Record<string, { api: ProviderApi; baseUrl: string; keyless?: boolean }> = {
  openai: { api: "openai", baseUrl: "https://api.openai.com/v1" },
  anthropic: { api: "anthropic", baseUrl: "https://api.anthropic.com" },
  xai: { api: "openai", baseUrl: "https://api.x.ai/v1" },
  groq: { api: "openai", baseUrl: "https://api.groq.com/openai/v1" },
  mistral: { api: "openai", baseUrl: "https://api.mistral.ai/v1" },
  deepseek: { api: "openai", baseUrl: "https://api.deepseek.com/v1" },
  together: { api: "openai", baseUrl: "https://api.together.xyz/v1" },
  fireworks: { api: "openai", baseUrl: "https://api.fireworks.ai/inference/v1" },
  openrouter: { api: "openai", baseUrl: "https://openrouter.ai/api/v1" },
  // A local server: no key needed.
  ollama: { api: "openai", baseUrl: "http://localhost:11434/v1", keyless: true },
};

/** One provider as configured on this instance. */
export type ProviderSettings = {
  name: string;
  api: ProviderApi;
  /** Without a trailing slash. */
  baseUrl: string;
  /** The system credential, `<PROVIDER>_API_KEY`; null when unset. */
  apiKey: string | null;
  /** Needs no credential at all (a local server). */
  keyless: boolean;
};

export type Providers = Record<string, ProviderSettings>;

/** `openai` → `OPENAI`: the prefix of a provider's environment variables. */
export const envPrefix = (provider: string) => provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/**
 * Every known provider with its `<PROVIDER>_API_KEY` and `<PROVIDER>_BASE_URL` from the
 * environment (non-string values count as unset). Returns the problems found (a base URL that is
 * not an http(s) URL) instead of throwing, for the config's one list of bad variables.
 */
export function providersFromEnv(env: Record<string, unknown>): { providers: Providers; problems: { variable: string; message: string }[] } {
  const str = (name: string) => (typeof env[name] === "string" ? (env[name] as string) : undefined);
  const providers: Providers = {};
  const problems: { variable: string; message: string }[] = [];
  for (const [name, known] of Object.entries(KNOWN_PROVIDERS)) {
    const prefix = envPrefix(name);
    let baseUrl = known.baseUrl;
    const configured = str(`${prefix}_BASE_URL`);
    if (configured) {
      if (!/^https?:\/\/[^/]/.test(configured) || !URL.canParse(configured)) problems.push({ variable: `${prefix}_BASE_URL`, message: "must be an http:// or https:// URL" });
      else baseUrl = configured;
    }
    providers[name] = {
      name,
      api: known.api,
      baseUrl: baseUrl.replace(/\/+$/, ""),
      apiKey: str(`${prefix}_API_KEY`) || null,
      keyless: known.keyless === true,
    };
  }
  return { providers, problems };
}
