// Reads the @label proposals in a (super)graph: field labels by schema coordinate (`Type.field`)
// and type labels by type name, the defaults for their fields.

import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { GRADES, SHARING_TYPES, type Label } from './label.ts';

export interface LabelProposals {
  fields: Map<string, Label>;
  types: Map<string, Label>;
}

export function labelFromDirective(directive: ConstDirectiveNode): Label {
  const label: Partial<Label> = {};
  for (const arg of directive.arguments ?? []) {
    const v = arg.value;
    const value = v.kind === Kind.INT ? Number(v.value) : v.kind === Kind.BOOLEAN ? v.value : 'value' in v ? v.value : undefined;
    (label as Record<string, unknown>)[arg.name.value] = value;
  }
  if (!SHARING_TYPES.includes(label.sharing as never) || !GRADES.includes(label.grade as never)) {
    throw new Error(`@label needs a sharing type and a grade, got ${JSON.stringify(label)}`);
  }
  return label as Label;
}

/** Object types whose fields carry data; federation and spec plumbing is left out. */
export function isDataType(name: string): boolean {
  return !name.startsWith('__') && !name.includes('__');
}

export function readLabelProposals(sdl: string | DocumentNode): LabelProposals {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const fields = new Map<string, Label>();
  const types = new Map<string, Label>();
  for (const def of doc.definitions) {
    if ((def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) || !isDataType(def.name.value)) continue;
    const typeLabel = def.directives?.find((d) => d.name.value === 'label');
    if (typeLabel) types.set(def.name.value, labelFromDirective(typeLabel));
    for (const field of def.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === 'label');
      if (directive) fields.set(`${def.name.value}.${field.name.value}`, labelFromDirective(directive));
    }
  }
  return { fields, types };
}
