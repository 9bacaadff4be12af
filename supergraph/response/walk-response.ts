// Walks a response's data alongside the operation that produced it, visiting every field value
// with its schema coordinate and its concrete path. Fields the gateway added for itself
// (aliases starting with `_jg_`) are not visited.

import { getNamedType, isAbstractType, isCompositeType, Kind, type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionSetNode } from 'graphql';

type Json = Record<string, unknown>;

export interface VisitedValue {
  coordinate: string;
  value: unknown;
  /** The object holding the value (with any `_jg_` fields the gateway added). */
  holder: Json;
  path: (string | number)[];
  /** The concrete type of the holder. */
  type: string;
}

export const INTERNAL_ALIAS_PREFIX = '_jg_';
/** Carries the runtime type where the operation selects through an abstract type. */
export const TYPE_ALIAS = `${INTERNAL_ALIAS_PREFIX}type`;

const NO_PATH: (string | number)[] = [];

/** With `paths: false`, visits carry an empty path: cheaper when nobody reads it. */
export function walkResponse(
  schema: GraphQLSchema,
  document: DocumentNode,
  data: Json | null | undefined,
  visit: (v: VisitedValue) => void,
  { paths = true }: { paths?: boolean } = {},
): void {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || !data) return;
  const root = schema.getRootType(operation.operation);
  if (!root) return;

  function walk(value: unknown, selectionSet: SelectionSetNode, type: GraphQLCompositeType, path: (string | number)[]): void {
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, selectionSet, type, paths ? [...path, i] : NO_PATH));
    if (value === null || typeof value !== 'object') return;
    const object = value as Json;
    const runtime = object.__typename ?? object[TYPE_ALIAS];
    const concrete = typeof runtime === 'string' ? ((schema.getType(runtime) as GraphQLCompositeType | undefined) ?? type) : type;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : concrete;
        // A fragment on another member, or on a member while the runtime type is unknown: not this object's.
        if (!isAbstractType(condition) && (isAbstractType(concrete) || condition.name !== concrete.name)) continue;
        walk(object, selection.selectionSet, isAbstractType(condition) ? concrete : condition, path);
        continue;
      }
      if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) continue;
      const key = selection.alias?.value ?? selection.name.value;
      if (key.startsWith(INTERNAL_ALIAS_PREFIX) || !(key in object)) continue;
      const fieldValue = object[key];
      const fieldPath = paths ? [...path, key] : NO_PATH;
      visit({ coordinate: `${concrete.name}.${selection.name.value}`, value: fieldValue, holder: object, path: fieldPath, type: concrete.name });
      const field = 'getFields' in concrete ? concrete.getFields()[selection.name.value] : undefined;
      const named = field && getNamedType(field.type);
      if (selection.selectionSet && named && isCompositeType(named)) walk(fieldValue, selection.selectionSet, named, fieldPath);
    }
  }
  walk(data, operation.selectionSet, root, []);
}
