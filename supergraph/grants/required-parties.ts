// Who must approve a grant: the operator, each provider owning a granted field, and each provider
// owning a field one of them is derived from (@requires), since a derived value can disclose its inputs.

import type { Party } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';

export function requiredParties(catalog: LabelCatalog, coordinates: readonly string[]): Party[] {
  const providers = new Set<string>();
  for (const coordinate of coordinates) {
    for (const source of [coordinate, ...(catalog.fields.get(coordinate)?.derivedFrom ?? [])]) {
      for (const owner of catalog.fields.get(source)?.owners ?? []) providers.add(owner);
    }
  }
  return ['operator', ...[...providers].sort()];
}
