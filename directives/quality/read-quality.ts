// Reads @quality declarations from a (super)graph: by coordinate for fields, by type name for
// types (the default for their fields).

import { Kind, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { readDirectiveUsages, type DirectiveUsages } from '../read-directive-usages.ts';
import type { Quality } from './quality.ts';

function qualityFromDirective(directive: ConstDirectiveNode): Quality {
  const q: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) {
    const v = arg.value;
    q[arg.name.value] = v.kind === Kind.FLOAT || v.kind === Kind.INT ? Number(v.value) : 'value' in v ? v.value : undefined;
  }
  return q as unknown as Quality;
}

export type QualityDeclarations = DirectiveUsages<Quality>;

export function readQualityDeclarations(sdl: string | DocumentNode): QualityDeclarations {
  return readDirectiveUsages(sdl, 'quality', qualityFromDirective);
}

/** The declaration that applies to a field: its own, else its type's. */
export function qualityOf(declarations: QualityDeclarations, coordinate: string): Quality | undefined {
  return declarations.fields.get(coordinate) ?? declarations.types.get(coordinate.split('.')[0]!);
}
