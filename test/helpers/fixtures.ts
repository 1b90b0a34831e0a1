import { ADMIN_TOKEN, call, uniq } from "./harness.js";

export type UserFx = { id: string; email: string; token: string };
export type TeamFx = {
  id: string;
  slug: string;
  owner: UserFx;
  member: UserFx;
  developer: UserFx;
};

export async function createUserFx(label = "u"): Promise<UserFx> {
  const email = `${uniq(label)}@example.test`;
  const r = await call("POST", "/v1/admin/users", { token: ADMIN_TOKEN, body: { email, name: label } });
  if (r.status !== 201) throw new Error(`createUser: ${r.status} ${r.text}`);
  return { id: r.body.user.id, email, token: r.body.bearerToken };
}

/** A fresh team with an OWNER, a MEMBER and a DEVELOPER, made through the public API. */
export async function createTeamFx(): Promise<TeamFx> {
  const [owner, member, developer] = await Promise.all([createUserFx("owner"), createUserFx("member"), createUserFx("dev")]);
  const slug = uniq("team");
  const t = await call("POST", "/v1/teams", { token: owner.token, body: { slug, name: `Team ${slug}` } });
  if (t.status !== 201) throw new Error(`createTeam: ${t.status} ${t.text}`);
  const id = t.body.team.id as string;
  for (const [u, role] of [
    [member, "MEMBER"],
    [developer, "DEVELOPER"],
  ] as const) {
    const r = await call("POST", `/v1/teams/${id}/members`, { token: owner.token, body: { email: u.email, role } });
    if (r.status !== 201) throw new Error(`addMember: ${r.status} ${r.text}`);
  }
  return { id, slug, owner, member, developer };
}

export async function createKeyFx(team: TeamFx, body: Record<string, unknown> = {}, token = team.owner.token) {
  const r = await call("POST", `/v1/api-keys?teamId=${team.id}`, { token, body: { purpose: "ai-gateway", ...body } });
  if (r.status !== 200) throw new Error(`createKey: ${r.status} ${r.text}`);
  return r.body as { apiKeyString: string; apiKey: { id: string; [k: string]: unknown } };
}

export async function createProjectFx(team: TeamFx, name = uniq("prj")) {
  const r = await call("POST", `/v1/projects?teamId=${team.id}`, { token: team.owner.token, body: { name } });
  if (r.status !== 201) throw new Error(`createProject: ${r.status} ${r.text}`);
  return r.body.project as { id: string; name: string };
}

/** A model pattern no other test uses (providers are lowercase `[a-z0-9._-]`). */
export const freshModel = (model = "m") => `${uniq("p")}/${model}`;

export type RuleBody = {
  type: "rewrite" | "deny";
  match: { model: string };
  action?: { rewriteModel?: string | null; reason?: string | null };
  description?: string | null;
};

/** Creates a rule through the API (a deny on a fresh model unless told otherwise). */
export async function createRuleFx(team: TeamFx, body: Partial<RuleBody> = {}, token = team.owner.token) {
  const r = await call("POST", `/v1/ai-gateway/rules?teamId=${team.id}`, {
    token,
    body: { type: "deny", match: { model: freshModel() }, ...body },
  });
  if (r.status !== 201) throw new Error(`createRule: ${r.status} ${r.text}`);
  return r.body as { ruleId: string; ownerId: string; match: { model: string }; [k: string]: unknown };
}
