// What each field's value is computed from: the fields its @requires selects (in a supergraph,
// `@join__field(requires: "riskClass owner { district }")`, nested selections read against their
// types), and, transitively, what those require. A derived value can disclose its inputs.

import { Kind, parse, type DocumentNode, type FieldDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type TypeNode } from 'graphql';
import { joinArgument, resolvingJoinFields } from './join-directives.ts';

interface Types {
  fields: Map<string, Map<string, FieldDefinitionNode>>;
  /** Interface → the object types implementing it: a field read on an interface is read on them. */
  implementations: Map<string, string[]>;
}

/** Coordinate → the coordinates it derives from, directly or transitively, sorted; only fields that derive. */
export function fieldDerivations(doc: DocumentNode): Map<string, string[]> {
  const types = readTypes(doc);
  const direct = new Map<string, Set<string>>();
  for (const [type, fields] of types.fields) {
    for (const [name, field] of fields) {
      const required = new Set<string>();
      for (const d of resolvingJoinFields(field)) {
        const selection = joinArgument(d, 'requires');
        if (selection) collect(parseFieldSet(selection), type, types, required);
      }
      if (required.size > 0) direct.set(`${type}.${name}`, required);
    }
  }
  const derivations = new Map<string, string[]>();
  for (const coordinate of direct.keys()) derivations.set(coordinate, reachable(coordinate, direct));
  return derivations;
}

function readTypes(doc: DocumentNode): Types {
  const types: Types = { fields: new Map(), implementations: new Map() };
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    types.fields.set(def.name.value, new Map((def.fields ?? []).map((f) => [f.name.value, f])));
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const i of def.interfaces ?? []) types.implementations.set(i.name.value, [...(types.implementations.get(i.name.value) ?? []), def.name.value]);
  }
  return types;
}

/** A field set is a selection set without its braces. */
function parseFieldSet(selection: string): SelectionSetNode {
  return (parse(`{${selection}}`, { noLocation: true }).definitions[0] as OperationDefinitionNode).selectionSet;
}

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

function collect(set: SelectionSetNode, type: string, types: Types, into: Set<string>): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, selection.typeCondition?.name.value ?? type, types, into);
    } else if (selection.kind === Kind.FIELD && selection.name.value !== '__typename') {
      for (const holder of [type, ...(types.implementations.get(type) ?? [])]) into.add(`${holder}.${selection.name.value}`);
      const field = types.fields.get(type)?.get(selection.name.value);
      if (selection.selectionSet && field) collect(selection.selectionSet, namedType(field.type), types, into);
    }
  }
}

function reachable(from: string, direct: Map<string, Set<string>>): string[] {
  const seen = new Set<string>();
  const queue = [...direct.get(from)!];
  while (queue.length > 0) {
    const coordinate = queue.pop()!;
    if (coordinate === from || seen.has(coordinate)) continue;
    seen.add(coordinate);
    queue.push(...(direct.get(coordinate) ?? []));
  }
  return [...seen].sort();
}
