// The @quality declaration that governs a field: its own, else its type's, but a type's
// declaration only speaks for the fields of the subgraph that made it (the entity's home);
// a field another provider adds to the type is that provider's to declare.

import { qualityOf, type Quality, type QualityDeclarations } from '../../directives/index.ts';
import type { LabelCatalog } from '../labels/index.ts';

export function declaredQuality(catalog: LabelCatalog, declarations: QualityDeclarations, coordinate: string): Quality | undefined {
  const own = declarations.fields.get(coordinate);
  if (own) return own;
  const field = catalog.fields.get(coordinate);
  if (!field) return qualityOf(declarations, coordinate);
  const key = catalog.keyFields.get(field.type)?.[0];
  const home = key ? catalog.fields.get(`${field.type}.${key}`)?.owners : undefined;
  if (home && !field.owners.some((o) => home.includes(o))) return undefined;
  return declarations.types.get(field.type);
}
