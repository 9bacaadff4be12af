// Where a spec's directive is applied in a (super)graph: on data object types (as the default
// for their fields) and on their fields, keyed by type name and by schema coordinate.

import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';

export interface DirectiveUsages<T> {
  fields: Map<string, T>;
  types: Map<string, T>;
}

/** Object types whose fields carry data; federation and spec plumbing is left out. */
export function isDataType(name: string): boolean {
  return !name.startsWith('__') && !name.includes('__');
}

export function readDirectiveUsages<T>(sdl: string | DocumentNode, directive: string, read: (node: ConstDirectiveNode) => T): DirectiveUsages<T> {
  const doc = typeof sdl === 'string' ? parse(sdl) : sdl;
  const usages: DirectiveUsages<T> = { fields: new Map(), types: new Map() };
  for (const def of doc.definitions) {
    if ((def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) || !isDataType(def.name.value)) continue;
    const onType = def.directives?.find((d) => d.name.value === directive);
    if (onType) usages.types.set(def.name.value, read(onType));
    for (const field of def.fields ?? []) {
      const onField = field.directives?.find((d) => d.name.value === directive);
      if (onField) usages.fields.set(`${def.name.value}.${field.name.value}`, read(onField));
    }
  }
  return usages;
}
