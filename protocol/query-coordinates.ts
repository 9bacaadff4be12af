// Which schema coordinates a GraphQL document selects: what the gateway names in a provider
// call's assertion and what the provider checks the call against.

import {
  getNamedType, isInterfaceType, isObjectType, Kind, parse,
  type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Every schema coordinate a provider query selects (`_entities` fragments by their type). The
 * federation plumbing (`_entities`, `_service` and the `_`-named types) names none: the gateway
 * signs what a query asks of the provider's own types, and the provider recomputes it.
 */
export function queryCoordinates(schema: GraphQLSchema, query: string): string[] {
  const document = parse(query, { noLocation: true });
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType | undefined) => {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        if (name.startsWith('__') || name === '_service') continue;
        if (name === '_entities') {
          if (s.selectionSet) walk(s.selectionSet, undefined);
          continue;
        }
        const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[name] : undefined;
        if (type && field && !type.name.startsWith('_')) found.add(`${type.name}.${name}`);
        if (s.selectionSet) walk(s.selectionSet, field ? getNamedType(field.type) : undefined);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        walk(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : type);
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, schema.getRootType(d.operation) ?? undefined);
  }
  return [...found].sort();
}

/**
 * `queryCoordinates` memoised per query text, bounded in bytes: plans are cached, so the same few
 * provider queries come back again and again. A text that is no GraphQL query (countersigning a
 * checkpoint) names no coordinates.
 */
export function memoisedCoordinates(schema: GraphQLSchema, maxBytes: number): (query: string) => readonly string[] {
  const known = new LRUCache<string, readonly string[]>({ maxSize: maxBytes, sizeCalculation: (v, k) => k.length + v.join().length + 1 });
  return (query) => {
    let found = known.get(query);
    if (!found) {
      try {
        found = queryCoordinates(schema, query);
      } catch {
        found = [];
      }
      known.set(query, found);
    }
    return found;
  };
}
