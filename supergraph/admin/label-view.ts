// What the labels query shows each caller. An app sees the contract: a NOT_SHARED field does not
// exist for it, so neither the field nor its legal basis is listed. A provider sees its own
// fields in full and the contract of the others; the operator sees every field.

import type { LabelCatalog } from '../labels/index.ts';
import { isOperator, owns, type AdminCaller } from './admin-caller.ts';

export function labelView(caller: AdminCaller, catalog: LabelCatalog) {
  return [...catalog.fields.values()]
    .filter((f) => f.label.sharing !== 'NOT_SHARED' || isOperator(caller) || owns(caller, f))
    .map((f) => ({ coordinate: f.coordinate, owners: f.owners, ...f.label, pii: Boolean(f.label.pii), source: f.source }));
}
