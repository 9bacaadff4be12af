// graphql-shield as the last check on what a plan released. It runs only where a rule can
// change the answer: on the fields the policy does not allow outright for this request (a
// district-limited grant, or a denial that pruning should already have removed), and on the
// path to them. A request with no such field skips the shield entirely.

import { execute, getNamedType, isAbstractType, isCompositeType, Kind, type DocumentNode, type FieldNode, type GraphQLCompositeType, type GraphQLFormattedError, type GraphQLSchema, type SelectionNode, type SelectionSetNode } from 'graphql';
import type { Verdict } from './decide.ts';

type Json = Record<string, unknown>;

const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

function ruleMayObject(verdict: Verdict): boolean {
  return !verdict.allowed || verdict.rowScope !== 'ALL';
}

/**
 * The part of a (fragment-free, single-operation) document that the shield must see, or null
 * when every field it selects is allowed outright.
 */
export function shieldDocument(schema: GraphQLSchema, document: DocumentNode, verdictFor: (coordinate: string) => Verdict): DocumentNode | null {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return null;
  const root = schema.getRootType(operation.operation);
  if (!root) return null;

  const mustCheck = (parent: GraphQLCompositeType, field: string) =>
    isAbstractType(parent)
      ? schema.getPossibleTypes(parent).some((t) => ruleMayObject(verdictFor(`${t.name}.${field}`)))
      : ruleMayObject(verdictFor(`${parent.name}.${field}`));

  function keep(selectionSet: SelectionSetNode, parent: GraphQLCompositeType): SelectionSetNode | null {
    const kept: SelectionNode[] = [];
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const type = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType) : parent;
        const child = keep(s.selectionSet, type);
        if (child) kept.push({ ...s, selectionSet: child });
        continue;
      }
      if (s.kind !== Kind.FIELD || s.name.value.startsWith('__')) continue;
      const checked = mustCheck(parent, s.name.value);
      const field = 'getFields' in parent ? parent.getFields()[s.name.value] : undefined;
      const named = field && getNamedType(field.type);
      if (!s.selectionSet || !named || !isCompositeType(named)) {
        if (checked) kept.push(s);
        continue;
      }
      const child = keep(s.selectionSet, named);
      if (child || checked) kept.push({ ...s, selectionSet: child ?? { kind: Kind.SELECTION_SET, selections: [typename] } });
    }
    return kept.length > 0 ? { kind: Kind.SELECTION_SET, selections: kept } : null;
  }

  const selectionSet = keep(operation.selectionSet, root);
  return selectionSet ? { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet }] } : null;
}

export interface ShieldPass {
  /** The shielded reader schema. */
  schema: GraphQLSchema;
  document: DocumentNode;
  data: Json;
  variables: Record<string, unknown> | undefined;
  context: unknown;
}

/** Runs the shield over released values; every value a rule refused is set to null in `data`. */
export async function releaseUnderShield({ schema, document, data, variables, context }: ShieldPass): Promise<GraphQLFormattedError[]> {
  const result = await execute({ schema, document, rootValue: data, contextValue: context, variableValues: variables ?? {} });
  const errors = (result.errors ?? []).map((e) => e.toJSON());
  for (const error of errors) {
    const path = error.path;
    if (!path || path.length === 0) continue;
    let holder: unknown = data;
    for (const key of path.slice(0, -1)) holder = (holder as Json | null)?.[key as string];
    if (holder && typeof holder === 'object') (holder as Json)[path.at(-1) as string] = null;
  }
  return errors;
}
