import { findProvider } from "@pydantic/genai-prices";
import { callerKeyId, checkKeyStatus, tokenCaller, type Caller } from "../gateway/authorize.js";
import { looksLikeJwt } from "../http/auth.js";
import type { DataPlaneDeps } from "../http/data-plane.js";
import { resolveModelCached, type CompiledRules } from "../rules/resolve.js";

/**
 * What the gateway's read-only routes (`GET /v1/models`, the AI SDK's config, credits, report and
 * generation) know of a caller and the models it may call: one answer for every surface.
 */

/** The caller of a read-only route: a live gateway key (status checked as authorize does) or a project OIDC token (checked as authorize does). */
export async function readCaller(deps: DataPlaneDeps, credential: string): Promise<Caller> {
  const now = deps.clock.now();
  if (looksLikeJwt(credential)) {
    const t = tokenCaller(deps, credential, now);
    return t instanceof Promise ? await t : t;
  }
  const found = deps.gateway.keyByCredential(credential, now);
  const key = found instanceof Promise ? await found : found;
  checkKeyStatus(key, now);
  return key;
}

/**
 * The models a caller may call: its key's allow-list when it has one; otherwise every model the
 * price table knows for the providers it has a credential for (a system `<PROVIDER>_API_KEY`, or a
 * BYOK credential of its team it may use) and the exact `TOLLGATE_PRICES` entries; minus the
 * models a routing rule of the team denies. Sorted as listed (the catalogue in id order).
 */
export async function callableModels(deps: DataPlaneDeps, caller: Caller): Promise<string[]> {
  const r = deps.gateway.teamRules(caller.teamId);
  const rules = r instanceof Promise ? await r : r;
  const allowList = "digest" in caller ? caller.models : [];
  let ids = allowList;
  if (allowList.length === 0) {
    const withByok: string[] = [];
    for (const p of Object.values(deps.config.providers)) {
      if (p.apiKey) continue;
      const found = deps.gateway.byokCredentials(deps, caller.teamId, `${p.name}/any`, callerKeyId(caller));
      if ((found instanceof Promise ? await found : found).length > 0) withByok.push(p.name);
    }
    ids = catalog(deps, withByok);
  }
  return ids.filter((id) => !denied(rules, id));
}

function denied(rules: CompiledRules, model: string): boolean {
  try {
    return resolveModelCached(rules, model).denied !== null;
  } catch {
    return true;
  }
}

type Known = { name?: string; description?: string };
const known = new Map<string, Known>();
const catalogs = new WeakMap<object, Map<string, string[]>>();

/** A catalogue model's name and description from the price table, once `callableModels` listed it. */
export const modelInfo = (id: string): Known | undefined => known.get(id);

/** The price table's models of the providers with a system credential (or in `extra`), and the exact overrides; sorted. */
function catalog(deps: DataPlaneDeps, extra: string[]): string[] {
  let perConfig = catalogs.get(deps.config);
  if (!perConfig) catalogs.set(deps.config, (perConfig = new Map()));
  const cacheKey = extra.join(",");
  let ids = perConfig.get(cacheKey);
  if (ids) return ids;
  const set = new Set<string>();
  for (const p of Object.values(deps.config.providers)) {
    if (!p.apiKey && !extra.includes(p.name)) continue;
    for (const model of (findProvider({ providerId: p.name })?.models ?? []) as ({ id: string } & Known)[]) {
      const id = `${p.name}/${model.id}`;
      set.add(id);
      known.set(id, { ...(model.name ? { name: model.name } : {}), ...(model.description ? { description: model.description } : {}) });
    }
  }
  for (const k of Object.keys(deps.config.priceOverrides)) if (!k.endsWith("/*")) set.add(k);
  ids = [...set].sort();
  if (perConfig.size > 100) perConfig.clear();
  perConfig.set(cacheKey, ids);
  return ids;
}
