import type { App } from "../http/context.js";

/** The API's answer to one in-process call: its status and parsed JSON body (or text). */
export type ApiResult<T = any> = { status: number; ok: boolean; body: T; headers: Headers };

/**
 * Calls Tollgate's own API in-process (`app.request`, the same fetch handler the server runs) with
 * the signed-in user's personal access token. Every rule (authorization, validation, audit, error
 * messages) is therefore the API's: the dashboard keeps no second copy of them.
 */
export function apiCaller(app: App, token: string) {
  return async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    const res = await app.request(path, init);
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get("content-type") ?? "").includes("json") && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, ok: res.status < 300, body: parsed as T, headers: res.headers };
  };
}
export type Api = ReturnType<typeof apiCaller>;

/** The API's error message (its envelope), with each invalid field named, for showing to the user. */
export function errorText(r: ApiResult): string {
  const e = (r.body as { error?: { message?: string; params?: { path: string; message: string }[] } } | undefined)?.error;
  if (!e) return `The API answered ${r.status}.`;
  const params = e.params?.map((p) => `${p.path || "body"}: ${p.message}`).join("; ");
  return params ? `${e.message ?? "Invalid request."} (${params})` : (e.message ?? `The API answered ${r.status}.`);
}
