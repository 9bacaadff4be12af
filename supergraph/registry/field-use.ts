// Who uses a field: the apps the audit trail shows receiving it within the window (with their
// last use), and the active grants that cover it. Breaking changes and ownership changes both
// report it, so that those deciding see whom the change reaches.

export interface FieldUse {
  appId: string;
  lastUsed: string;
}

export interface UsageSource {
  /** Access records that returned the coordinate since `from`. */
  recipients(coordinate: string, from: string): Promise<readonly { appId: string | null; at: string }[]>;
  /** The active grants that cover the coordinate, with the app each is for. */
  grantsCovering(coordinate: string): readonly { id: string; appId: string }[];
}

export interface FieldUsers {
  users: FieldUse[];
  grants: { id: string; appId: string }[];
}

/** The apps that received `coordinate` (its arguments aside) since `since`, and the grants covering it. */
export async function fieldUsers(coordinate: string, usage: UsageSource, since: string): Promise<FieldUsers> {
  const field = coordinate.replace(/\(.*\)$/, '');
  const last = new Map<string, string>();
  for (const r of await usage.recipients(field, since)) {
    if (r.appId && (last.get(r.appId) ?? '') < r.at) last.set(r.appId, r.at);
  }
  const users = [...last].map(([appId, lastUsed]) => ({ appId, lastUsed })).sort((a, b) => a.appId.localeCompare(b.appId));
  return { users, grants: [...usage.grantsCovering(field)] };
}
