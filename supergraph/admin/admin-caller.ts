// Who calls the admin endpoint, and what that caller is to a field: a principal of the operator
// or of a provider (by subgraph name), or an app. A provider owns the fields it resolves (the
// catalogue's owners).

import type { Party, Principal, Requester } from '../identity/index.ts';
import type { CatalogField } from '../labels/index.ts';

export type AdminCaller = { kind: 'party'; party: Party; principal: Principal } | { kind: 'app'; requester: Requester };

export const isOperator = (caller: AdminCaller): boolean => caller.kind === 'party' && caller.party === 'operator';

/** A provider caller that resolves the field. */
export function owns(caller: AdminCaller, field: CatalogField | undefined): boolean {
  return caller.kind === 'party' && (field?.owners.includes(caller.party) ?? false);
}
