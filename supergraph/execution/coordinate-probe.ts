// A query that asks one real coordinate of a provider, known from its `_service { sdl }` alone,
// for jointgraph provider-check: an assertion naming every coordinate but that one must be refused.
// The query touches no record even where it is wrongly accepted: an entity field is asked through
// `_entities` with no representation, a root field is skipped (`@skip(if: true)`); a provider
// computes what a query asks from its text, so both still ask the coordinate.

import { Kind, parse, type DefinitionNode, type FieldDefinitionNode, type TypeNode } from 'graphql';

export interface CoordinateProbe {
  query: string;
  /** The coordinate the query asks (`Enterprise.taxRatedOn`). */
  asked: string;
  /** Every other coordinate of the provider's own types: what the assertion names instead. */
  others: string[];
}

type ObjectDefinition = Extract<DefinitionNode, { kind: Kind.OBJECT_TYPE_DEFINITION | Kind.OBJECT_TYPE_EXTENSION }>;
const COMPOSITE: readonly Kind[] = [
  Kind.OBJECT_TYPE_DEFINITION, Kind.OBJECT_TYPE_EXTENSION, Kind.INTERFACE_TYPE_DEFINITION, Kind.INTERFACE_TYPE_EXTENSION,
  Kind.UNION_TYPE_DEFINITION, Kind.UNION_TYPE_EXTENSION,
];

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const hasDirective = (node: ObjectDefinition | FieldDefinitionNode, name: string) => node.directives?.some((d) => d.name.value === name) ?? false;
/** A field the probe can ask without arguments: none required, and its own (not `@external`). */
const askable = (field: FieldDefinitionNode) =>
  !hasDirective(field, 'external') && !(field.arguments ?? []).some((a) => a.type.kind === Kind.NON_NULL_TYPE && !a.defaultValue);

/** The probe for a provider's SDL, or why there is none. */
export function coordinateProbe(sdl: string): CoordinateProbe | { unavailable: string } {
  let definitions: readonly DefinitionNode[];
  try {
    definitions = parse(sdl, { noLocation: true }).definitions;
  } catch {
    return { unavailable: 'its SDL does not parse' };
  }
  const composite = new Set(definitions.flatMap((d) => (COMPOSITE.includes(d.kind) && 'name' in d && d.name ? [d.name.value] : [])));
  const objects = definitions.filter((d): d is ObjectDefinition => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION);
  const own = objects.filter((o) => !o.name.value.startsWith('_'));
  const coordinates = [...new Set(own.flatMap((o) => (o.fields ?? []).map((f) => `${o.name.value}.${f.name.value}`)))];
  const subselection = (field: FieldDefinitionNode) => (composite.has(namedType(field.type)) ? ' { __typename }' : '');
  const probe = (type: string, field: FieldDefinitionNode, query: string): CoordinateProbe => {
    const asked = `${type}.${field.name.value}`;
    return { query, asked, others: coordinates.filter((c) => c !== asked) };
  };
  for (const entity of own.filter((o) => o.name.value !== 'Query' && hasDirective(o, 'key'))) {
    const field = entity.fields?.find(askable);
    if (field) return probe(entity.name.value, field, `{ _entities(representations: []) { ... on ${entity.name.value} { ${field.name.value}${subselection(field)} } } }`);
  }
  for (const root of own.filter((o) => o.name.value === 'Query')) {
    const field = root.fields?.find(askable);
    if (field) return probe('Query', field, `{ ${field.name.value} @skip(if: true)${subselection(field)} }`);
  }
  return { unavailable: 'its SDL has no field to ask without arguments' };
}
