// Who may file an objection, and who may see one. An objection names an entity and the app that
// doubts its value, so it links the two: only an app that received that entity's value of the
// field (per the audit trail) may file one, and only its filer, the providers owning the field and the operator see it.

import type { AccessTrail } from '../audit/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { Objection, ObjectionInput } from '../objections/index.ts';
import { entityKey } from '../response/index.ts';
import { isOperator, owns, type AdminCaller } from './admin-caller.ts';

/**
 * Whether the app received this record's value of the field: an app that received the field for
 * one entity may not object to another's. Records kept in the trail count, archived ones do not:
 * an objection follows a recent answer.
 */
export async function receivedBefore(access: Pick<AccessTrail, 'receivedValue'>, catalog: LabelCatalog, appId: string, input: Pick<ObjectionInput, 'coordinate' | 'key'>): Promise<boolean> {
  const type = catalog.fields.get(input.coordinate)?.type;
  if (!type || typeof input.key !== 'string') return false;
  return access.receivedValue(appId, input.coordinate, entityKey(type, [input.key.trim()]));
}

export function objectionVisible(caller: AdminCaller, objection: Objection, catalog: LabelCatalog): boolean {
  if (caller.kind === 'app') return objection.appId === caller.requester.appId;
  return isOperator(caller) || owns(caller, catalog.fields.get(objection.coordinate));
}
