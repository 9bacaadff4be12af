// What a correct answer is, and the check every gateway's answer goes through: `data` deep-equal
// to the expected data (object key order aside) and no errors, except that a requester lacking
// grants must get exactly the withheld fields as null, each reported as FORBIDDEN_FIELD.
// Extensions are not compared: gateways differ in what they add there.

import { isDeepStrictEqual } from 'node:util';
import {
  buildASTSchema, execute, getNamedType, isObjectType, Kind, parse, visit,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLFieldResolver, type GraphQLNamedType, type SelectionSetNode,
} from 'graphql';

export interface Expectation {
  data: unknown;
  /** Coordinates that must come back null with a FORBIDDEN_FIELD error; empty: no errors at all. */
  forbidden: string[];
}

interface Body {
  data?: unknown;
  errors?: { message?: string; extensions?: { code?: unknown; coordinate?: unknown } }[];
}

/** Why an answer is wrong, or null when it is right. `equal` compares the data. */
export function mismatch(text: string, expected: Expectation, equal: (a: unknown, b: unknown) => boolean = isDeepStrictEqual): string | null {
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    return `not JSON: ${text.slice(0, 120)}`;
  }
  const errors = body.errors ?? [];
  if (expected.forbidden.length === 0 && errors.length > 0) return `errors: ${JSON.stringify(errors).slice(0, 300)}`;
  if (expected.forbidden.length > 0) {
    const wrong = errors.filter((e) => e.extensions?.code !== 'FORBIDDEN_FIELD');
    if (wrong.length > 0) return `unexpected errors: ${JSON.stringify(wrong).slice(0, 300)}`;
    const reported = [...new Set(errors.map((e) => String(e.extensions?.coordinate)))].sort();
    if (!isDeepStrictEqual(reported, expected.forbidden)) return `FORBIDDEN_FIELD for ${reported.join(', ')}; expected ${expected.forbidden.join(', ')}`;
  }
  if (!equal(body.data, expected.data)) return 'data differs from the expected answer';
  return null;
}

/** Every output type made nullable, so a withheld non-null field nulls only itself, as the contract does. */
function nullableApiSchema(supergraphSdl: string) {
  const relaxed = visit(parse(supergraphSdl), { NonNullType: (node) => node.type }) as DocumentNode;
  return buildASTSchema(relaxed, { assumeValidSDL: true });
}

/**
 * The withheld coordinates a selection asks for, or null when it asks for something else too.
 * A selection of withheld fields only is emptied by pruning, and its field comes back null.
 */
function onlyWithheld(selectionSet: SelectionSetNode, type: GraphQLNamedType, withhold: readonly string[], fragments: Record<string, FragmentDefinitionNode>): string[] | null {
  if (!isObjectType(type)) return null;
  const found: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) {
      const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
      const nested = inner ? onlyWithheld(inner, type, withhold, fragments) : null;
      if (!nested) return null;
      found.push(...nested);
      continue;
    }
    if (selection.name.value === '__typename') continue;
    const coordinate = `${type.name}.${selection.name.value}`;
    if (withhold.includes(coordinate)) {
      found.push(coordinate);
      continue;
    }
    const field = type.getFields()[selection.name.value];
    const nested = field && selection.selectionSet ? onlyWithheld(selection.selectionSet, getNamedType(field.type), withhold, fragments) : null;
    if (!nested) return null;
    found.push(...nested);
  }
  return found;
}

/**
 * The answer a requester lacking `withhold` must get: the full answer with those fields null, and
 * a field whose whole selection is withheld null too (apply-denials: "emptied" fields).
 * Re-executes the query over the full answer's data, typed by the supergraph, so a coordinate
 * (`Person.name`) is told apart from a same-named field of another type (`Enterprise.name`).
 */
export function withheldExpectation(supergraphSdl: string, query: string, full: unknown, withhold: readonly string[]): Expectation {
  const hit = new Set<string>();
  const resolve: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, _args, _context, info) => {
    const coordinate = `${info.parentType.name}.${info.fieldName}`;
    if (withhold.includes(coordinate)) {
      hit.add(coordinate);
      return null;
    }
    const selectionSet = info.fieldNodes[0]?.selectionSet;
    const emptied = selectionSet ? onlyWithheld(selectionSet, getNamedType(info.returnType), withhold, info.fragments) : null;
    if (emptied?.length) {
      for (const c of emptied) hit.add(c);
      return null;
    }
    return source?.[info.path.key as string];
  };
  const document = parse(query);
  if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.variableDefinitions?.length)) {
    throw new Error('withheldExpectation takes queries without variables');
  }
  const result = execute({ schema: nullableApiSchema(supergraphSdl), document, rootValue: full, fieldResolver: resolve }) as { data?: unknown; errors?: unknown[] };
  if (result.errors?.length) throw new Error(`cannot derive the withheld answer: ${JSON.stringify(result.errors)}`);
  return { data: JSON.parse(JSON.stringify(result.data)), forbidden: [...hit].sort() };
}
