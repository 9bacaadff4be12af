// What a response actually carried: the coordinates of the fields present in its data, and the
// number of entities (objects of a @key type) in it. Walks the executed (pruned) operation.

import { getNamedType, isCompositeType, Kind, type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionSetNode } from 'graphql';

export interface Returned {
  coordinates: string[];
  entities: number;
}

type Json = Record<string, unknown>;

export function returnedCoordinates(schema: GraphQLSchema, document: DocumentNode, data: Json | null | undefined, entityTypes: ReadonlySet<string>): Returned {
  const coordinates = new Set<string>();
  let entities = 0;
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const root = operation && operation.kind === Kind.OPERATION_DEFINITION ? schema.getRootType(operation.operation) : undefined;
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || !root || !data) return { coordinates: [], entities: 0 };

  function walk(value: unknown, selectionSet: SelectionSetNode, type: GraphQLCompositeType): void {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, selectionSet, type));
    if (value === null || typeof value !== 'object') return;
    const object = value as Json;
    const concrete = typeof object.__typename === 'string' ? (schema.getType(object.__typename) as GraphQLCompositeType) : type;
    if (entityTypes.has(concrete.name)) entities++;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : type;
        walk(object, selection.selectionSet, condition);
        continue;
      }
      if (selection.kind !== Kind.FIELD || selection.name.value.startsWith('__')) continue;
      const key = selection.alias?.value ?? selection.name.value;
      const fieldValue = object[key];
      if (fieldValue === undefined || fieldValue === null) continue;
      coordinates.add(`${concrete.name}.${selection.name.value}`);
      const field = 'getFields' in concrete ? concrete.getFields()[selection.name.value] : undefined;
      const named = field && getNamedType(field.type);
      if (selection.selectionSet && named && isCompositeType(named)) walk(fieldValue, selection.selectionSet, named);
    }
  }
  walk(data, operation.selectionSet, root);
  return { coordinates: [...coordinates].sort(), entities };
}
