import type { LoadedCredential } from "./queries.js";

const MAX_PIECES_PER_PROVIDER = 10_000;

/** One provider's credentials of a team and the answer pieces rendered from them. */
type ProviderEntry = {
  list: LoadedCredential[];
  /** The answer for a caller with no key (an OIDC token), or for every key when no credential is restricted. */
  anyKey: string;
  restricted: boolean;
  byKey: Map<string, string>;
};

/**
 * A team's enabled BYOK credentials, decrypted, as GatewayState caches them: authorize asks for the
 * `credentials` array (JSON text) of one provider and one key, rendered once and reused until the
 * team's credentials change (the whole entry is then dropped).
 */
export class TeamByok {
  private readonly providers = new Map<string, ProviderEntry>();

  constructor(list: LoadedCredential[]) {
    for (const c of list) {
      let entry = this.providers.get(c.answer.provider);
      if (!entry) {
        entry = { list: [], anyKey: "", restricted: false, byKey: new Map() };
        this.providers.set(c.answer.provider, entry);
      }
      entry.list.push(c);
      if (c.apiKeyIds.length > 0) entry.restricted = true;
    }
    for (const entry of this.providers.values()) entry.anyKey = render(entry.list, null);
  }

  /** The same credentials as `json`, as objects (for the gateway's own proxy). */
  list(model: string, keyId: string | null): LoadedCredential["answer"][] {
    const entry = this.providers.get(providerOf(model));
    return entry === undefined ? [] : usable(entry.list, keyId);
  }

  /** The `credentials` JSON array for a request to `model` (`provider/model`) by key `keyId` (null: no key). */
  json(model: string, keyId: string | null): string {
    if (this.providers.size === 0) return "[]";
    const entry = this.providers.get(providerOf(model));
    if (entry === undefined) return "[]";
    if (!entry.restricted || keyId === null) return entry.anyKey;
    let piece = entry.byKey.get(keyId);
    if (piece === undefined) {
      piece = render(entry.list, keyId);
      if (entry.byKey.size >= MAX_PIECES_PER_PROVIDER) entry.byKey.clear();
      entry.byKey.set(keyId, piece);
    }
    return piece;
  }
}

/** The credentials a key may use (`apiKeyIds` empty: every key; a caller with no key: only those). */
function usable(list: LoadedCredential[], keyId: string | null) {
  return list.filter((c) => c.apiKeyIds.length === 0 || (keyId !== null && c.apiKeyIds.includes(keyId))).map((c) => c.answer);
}

function render(list: LoadedCredential[], keyId: string | null): string {
  return JSON.stringify(usable(list, keyId));
}

/** The provider of a `provider/model` id. */
export const providerOf = (model: string): string => model.slice(0, model.indexOf("/"));
