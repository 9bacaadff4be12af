// A publication that removes a field, or changes its type, breaks the requesters who use it. Use is
// what the audit trail shows within the window, and what active grants cover: each such field is
// reported with its users (app ids, last use) and the grants that name it. A field the publishing
// subgraph drops but another still resolves (its owner, once an override is withdrawn) is not removed.

import { fieldUsers, type FieldUse, type UsageSource } from './field-use.ts';
import type { SchemaDiff } from './schema-diff.ts';

export interface BreakingChange {
  coordinate: string;
  change: 'removed' | 'type-changed';
  users: FieldUse[];
  grants: string[];
}

/** The removed and changed fields someone used within the window or holds a grant for; `served` holds the coordinates the new supergraph keeps. */
export async function breakingChanges(diff: SchemaDiff, served: ReadonlySet<string>, usage: UsageSource, since: string): Promise<BreakingChange[]> {
  const touched = [
    ...diff.removed.filter((coordinate) => !served.has(coordinate)).map((coordinate) => ({ coordinate, change: 'removed' as const })),
    ...diff.changed.map((c) => ({ coordinate: c.coordinate, change: 'type-changed' as const })),
  ];
  const breaking: BreakingChange[] = [];
  for (const { coordinate, change } of touched) {
    const { users, grants } = await fieldUsers(coordinate, usage, since);
    if (users.length > 0 || grants.length > 0) breaking.push({ coordinate, change, users, grants: grants.map((g) => g.id) });
  }
  return breaking;
}
