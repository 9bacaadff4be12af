// What a response actually carried: the coordinates of the non-null fields in its data, the
// number of entities (objects of a @key type) in it, and a digest of each value of an entity whose
// key the gateway asked along (received-values.ts). Runs on every audited answer, so the
// selections are compiled once per document and type, and the walk itself only reads values.

import { getNamedType, isAbstractType, isCompositeType, Kind, type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { entityKeyIn, INTERNAL_ALIAS_PREFIX, TYPE_ALIAS } from '../response/index.ts';
import { MAX_VALUE_DIGESTS, valueDigest } from './received-values.ts';

export interface Returned {
  coordinates: string[];
  entities: number;
  /** `valueDigest(coordinate, entity key)` of the values returned, sorted; at most MAX_VALUE_DIGESTS. */
  valueDigests: string[];
}

interface CompiledField {
  key: string;
  coordinate: string;
  /** The field's values are entities. */
  entity: boolean;
  child?: { selectionSet: SelectionSetNode; type: GraphQLCompositeType };
}

type Json = Record<string, unknown>;

const compiled = new WeakMap<SelectionSetNode, Map<string, CompiledField[]>>();

/** The fields a selection set asks of an object of the concrete type, fragments applied. */
function fieldsFor(schema: GraphQLSchema, entityTypes: ReadonlySet<string>, selectionSet: SelectionSetNode, type: GraphQLCompositeType): CompiledField[] {
  let byType = compiled.get(selectionSet);
  if (!byType) compiled.set(selectionSet, (byType = new Map()));
  let fields = byType.get(type.name);
  if (fields) return fields;
  fields = [];
  const add = (set: SelectionSetNode, on: GraphQLCompositeType) => {
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const condition = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType) : on;
        // A fragment on another member, or on a member while the runtime type is unknown: not this object's.
        if (!isAbstractType(condition) && (isAbstractType(on) || condition.name !== on.name)) continue;
        add(s.selectionSet, isAbstractType(condition) ? on : condition);
        continue;
      }
      if (s.kind !== Kind.FIELD || s.name.value.startsWith('__')) continue;
      const key = s.alias?.value ?? s.name.value;
      if (key.startsWith(INTERNAL_ALIAS_PREFIX)) continue;
      const field = 'getFields' in on ? on.getFields()[s.name.value] : undefined;
      const named = field && getNamedType(field.type);
      fields!.push({
        key,
        coordinate: `${on.name}.${s.name.value}`,
        entity: named !== undefined && entityTypes.has(named.name),
        ...(s.selectionSet && named && isCompositeType(named) ? { child: { selectionSet: s.selectionSet, type: named } } : {}),
      });
    }
  };
  add(selectionSet, type);
  byType.set(type.name, fields);
  return fields;
}

export function returnedCoordinates(
  schema: GraphQLSchema, document: DocumentNode, data: Json | null | undefined, entityTypes: ReadonlySet<string>, keyFields: ReadonlyMap<string, readonly string[]> = new Map(),
): Returned {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const root = operation?.kind === Kind.OPERATION_DEFINITION ? schema.getRootType(operation.operation) : undefined;
  const coordinates = new Set<string>();
  const valueDigests = new Set<string>();
  let entities = 0;
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || !root || !data) return { coordinates: [], entities, valueDigests: [] };

  const visitObject = (object: Json, selectionSet: SelectionSetNode, type: GraphQLCompositeType) => {
    let concrete = type;
    if (isAbstractType(type)) {
      const runtime = object.__typename ?? object[TYPE_ALIAS];
      concrete = (typeof runtime === 'string' ? (schema.getType(runtime) as GraphQLCompositeType | undefined) : undefined) ?? type;
    }
    const keys = keyFields.get(concrete.name);
    const key = keys && entityKeyIn(object, concrete.name, keys);
    for (const field of fieldsFor(schema, entityTypes, selectionSet, concrete)) {
      const value = object[field.key];
      if (value === null || value === undefined) continue;
      coordinates.add(field.coordinate);
      if (key !== undefined && valueDigests.size < MAX_VALUE_DIGESTS) valueDigests.add(valueDigest(field.coordinate, key));
      if (field.child) visitValue(value, field.child.selectionSet, field.child.type, field.entity);
    }
  };
  const visitValue = (value: unknown, selectionSet: SelectionSetNode, type: GraphQLCompositeType, entity: boolean): void => {
    if (Array.isArray(value)) {
      for (const item of value) visitValue(item, selectionSet, type, entity);
    } else if (value !== null && typeof value === 'object') {
      if (entity) entities += 1;
      visitObject(value as Json, selectionSet, type);
    }
  };
  visitObject(data, operation.selectionSet, root);
  return { coordinates: [...coordinates].sort(), entities, valueDigests: [...valueDigests].sort() };
}
