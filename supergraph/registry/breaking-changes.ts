// A publication that removes a field, or changes its type, breaks the requesters who use it. Use is
// what the audit trail shows within the window, and what active grants cover: each such field is
// reported with its users (app ids, last use) and the grants that name it.

import type { SchemaDiff } from './schema-diff.ts';

export interface FieldUse {
  appId: string;
  lastUsed: string;
}

export interface BreakingChange {
  coordinate: string;
  change: 'removed' | 'type-changed';
  users: FieldUse[];
  grants: string[];
}

export interface UsageSource {
  /** Access records that returned the coordinate since `from`. */
  recipients(coordinate: string, from: string): Promise<readonly { appId: string | null; at: string }[]>;
  /** Ids of the active grants that cover the coordinate. */
  grantsCovering(coordinate: string): string[];
}

/** The removed and changed fields someone used within the window or holds a grant for. */
export async function breakingChanges(diff: SchemaDiff, usage: UsageSource, since: string): Promise<BreakingChange[]> {
  const touched = [
    ...diff.removed.map((coordinate) => ({ coordinate, change: 'removed' as const })),
    ...diff.changed.map((c) => ({ coordinate: c.coordinate, change: 'type-changed' as const })),
  ];
  const breaking: BreakingChange[] = [];
  for (const { coordinate, change } of touched) {
    const field = coordinate.replace(/\(.*\)$/, '');
    const last = new Map<string, string>();
    for (const r of await usage.recipients(field, since)) {
      if (r.appId && (last.get(r.appId) ?? '') < r.at) last.set(r.appId, r.at);
    }
    const users = [...last].map(([appId, lastUsed]) => ({ appId, lastUsed })).sort((a, b) => a.appId.localeCompare(b.appId));
    const grants = usage.grantsCovering(field);
    if (users.length > 0 || grants.length > 0) breaking.push({ coordinate, change, users, grants });
  }
  return breaking;
}
