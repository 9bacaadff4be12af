// Who may file an objection, and who may see one. An objection names an entity and the app that
// doubts its value, so it links the two: only an app that received the field (per the audit
// trail) may file one, and only its filer, the providers owning the field and the operator see it.

import type { AccessTrail } from '../audit/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { Objection } from '../objections/index.ts';
import { isOperator, owns, type AdminCaller } from './admin-caller.ts';

/** Records kept in the trail count, archived ones do not: an objection follows a recent answer. */
export function receivedBefore(access: Pick<AccessTrail, 'received'>, appId: string, coordinate: string): Promise<boolean> {
  return access.received(appId, coordinate);
}

export function objectionVisible(caller: AdminCaller, objection: Objection, catalog: LabelCatalog): boolean {
  if (caller.kind === 'app') return objection.appId === caller.requester.appId;
  return isOperator(caller) || owns(caller, catalog.fields.get(objection.coordinate));
}
