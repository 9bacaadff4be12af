// Who resolves a field is its owners' decision, not the publisher's. A publication changes ownership
// when its subgraph would resolve a field other parties resolve now (@override, the field declared
// again or made shareable, @external dropped, a root field taken over) or would read one through
// @requires. Read from the label catalogues (their owners come from the @join__field directives)
// of the supergraph served and of the one composed with the publication.

import type { LabelCatalog } from '../labels/index.ts';
import { fieldUsers, type FieldUse, type UsageSource } from './field-use.ts';

export interface OwnershipChange {
  coordinate: string;
  /** resolver: the subgraph would resolve the field; requires: fields of the subgraph would read it. */
  change: 'resolver' | 'requires';
  /** The parties resolving the field now: each of them decides, with the operator. */
  owners: string[];
  /** The subgraph published. */
  to: string;
  /** For `requires`: the subgraph's fields that would read it. */
  readBy: string[];
}

export interface ReportedOwnershipChange extends OwnershipChange {
  /** Apps that received the field within the window or hold a grant covering it. */
  apps: string[];
  users: FieldUse[];
  grants: string[];
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

const isKey = (catalog: LabelCatalog, type: string, field: string) => catalog.keyFields.get(type)?.includes(field) ?? false;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The fields of other parties `subgraph` would resolve or read in `next`, as against `served`; by coordinate. */
export function ownershipChanges(served: LabelCatalog, next: LabelCatalog, subgraph: string): OwnershipChange[] {
  const changes = new Map<string, OwnershipChange>();
  const othersOwning = (coordinate: string) => (served.fields.get(coordinate)?.owners ?? []).filter((o) => o !== subgraph);
  for (const field of next.fields.values()) {
    const before = served.fields.get(field.coordinate);
    // A value type's fields are resolved by whoever resolves the field returning it: taking one over takes that field.
    if (!before || !(ROOT_TYPES.has(field.type) || next.entityTypes.has(field.type))) continue;
    // An entity's key is how every subgraph refers to it, not data one of them takes.
    if (isKey(served, field.type, field.field) || isKey(next, field.type, field.field)) continue;
    const owners = othersOwning(field.coordinate);
    if (field.owners.includes(subgraph) && owners.length > 0 && !sameSet(field.owners, before.owners)) {
      changes.set(field.coordinate, { coordinate: field.coordinate, change: 'resolver', owners, to: subgraph, readBy: [] });
    }
  }
  for (const field of next.fields.values()) {
    if (!field.owners.includes(subgraph)) continue;
    const before = served.fields.get(field.coordinate);
    const readBefore = new Set(before?.owners.includes(subgraph) ? before.derivedFrom : []);
    for (const source of field.derivedFrom) {
      const owners = othersOwning(source);
      if (readBefore.has(source) || owners.length === 0 || changes.get(source)?.change === 'resolver') continue;
      const found = changes.get(source) ?? { coordinate: source, change: 'requires' as const, owners, to: subgraph, readBy: [] };
      found.readBy.push(field.coordinate);
      changes.set(source, found);
    }
  }
  return [...changes.values()].sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}

/** Each change with whom it reaches: the apps using the field, as the audit trail and the grants know them. */
export async function withUsers(changes: OwnershipChange[], usage: UsageSource, since: string): Promise<ReportedOwnershipChange[]> {
  return Promise.all(
    changes.map(async (change) => {
      const { users, grants } = await fieldUsers(change.coordinate, usage, since);
      const apps = [...new Set([...users.map((u) => u.appId), ...grants.map((g) => g.appId)])].sort();
      return { ...change, apps, users, grants: grants.map((g) => g.id) };
    }),
  );
}

/** The parties who decide on a publication with these changes: the operator and every owner of a field it takes. */
export function deciders(changes: readonly OwnershipChange[]): string[] {
  return ['operator', ...[...new Set(changes.flatMap((c) => c.owners))].filter((p) => p !== 'operator').sort()];
}
