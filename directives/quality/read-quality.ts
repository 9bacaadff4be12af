// Reads @quality declarations from a (super)graph: by coordinate for fields, by type name for
// types (the default for their fields).

import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { isDataType } from '../label/index.ts';
import type { Quality } from './quality.ts';

function qualityFromDirective(directive: ConstDirectiveNode): Quality {
  const q: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) {
    const v = arg.value;
    q[arg.name.value] = v.kind === Kind.FLOAT || v.kind === Kind.INT ? Number(v.value) : 'value' in v ? v.value : undefined;
  }
  return q as unknown as Quality;
}

export interface QualityDeclarations {
  fields: Map<string, Quality>;
  types: Map<string, Quality>;
}

export function readQualityDeclarations(sdl: string | DocumentNode): QualityDeclarations {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const fields = new Map<string, Quality>();
  const types = new Map<string, Quality>();
  for (const def of doc.definitions) {
    if ((def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) || !isDataType(def.name.value)) continue;
    const onType = def.directives?.find((d) => d.name.value === 'quality');
    if (onType) types.set(def.name.value, qualityFromDirective(onType));
    for (const f of def.fields ?? []) {
      const directive = f.directives?.find((d) => d.name.value === 'quality');
      if (directive) fields.set(`${def.name.value}.${f.name.value}`, qualityFromDirective(directive));
    }
  }
  return { fields, types };
}

/** The declaration that applies to a field: its own, else its type's. */
export function qualityOf(declarations: QualityDeclarations, coordinate: string): Quality | undefined {
  return declarations.fields.get(coordinate) ?? declarations.types.get(coordinate.split('.')[0]!);
}
