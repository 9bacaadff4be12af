// Before planning, every denied field is removed from the operation, so no provider is ever
// sent a field the requester may not receive: whether it was asked for directly, through an
// alias, a fragment or an inline fragment. Fragments are inlined first, so each denial has the
// response path where it would have appeared.

import {
  getNamedType, isAbstractType, isCompositeType, Kind,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionNode, type SelectionSetNode,
} from 'graphql';
import { askRuntimeType, INTERNAL_ALIAS_PREFIX } from '../response/index.ts';
import type { Verdict } from './decide.ts';

export type Denied = Extract<Verdict, { allowed: false }>;

export interface DeniedField {
  coordinate: string;
  /** Response keys from the root; list positions are implied. */
  path: string[];
  verdict: Denied;
  /** The coordinate whose verdict denied it (a member's, under an abstract type). */
  decidedAt: string;
  /** Set when the field was asked for under a type condition of an abstract type. */
  onType?: string;
}

export interface EmptiedField {
  path: string[];
  onType?: string;
}

export interface PrunedOperation {
  document: DocumentNode;
  denied: DeniedField[];
  /** Composite fields all of whose selections were denied: answered null. */
  emptied: EmptiedField[];
  /** Where a district field was added for a row-level rule, to be removed from the answer. */
  injected: string[][];
  /** Nothing but `__typename` is left: no provider needs to be asked. */
  nothingLeft: boolean;
  /** Response keys in the order asked, for selections that lost fields, so answers keep that order. */
  keyOrder: { path: string[]; keys: string[] }[];
}

export const ROW_DISTRICT_ALIAS = `${INTERNAL_ALIAS_PREFIX}district`;

export interface PruneOptions {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  verdictFor(coordinate: string): Verdict;
}

export function pruneDeniedFields({ schema, document, operationName, verdictFor }: PruneOptions): PrunedOperation {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  const unchanged: PrunedOperation = { document, denied: [], emptied: [], injected: [], nothingLeft: false, keyOrder: [] };
  if (!operation) return unchanged;
  const root = schema.getRootType(operation.operation);
  if (!root) return unchanged;

  const denied = new Map<string, DeniedField>();
  const emptied: EmptiedField[] = [];
  const injected: string[][] = [];
  const keyOrder: { path: string[]; keys: string[] }[] = [];
  // Fields kept under a district-limited grant: the shield needs the runtime type to check them.
  let rowScoped = 0;

  /** The response keys a selection set asks for, fragments flattened, in order. */
  function responseKeys(selectionSet: SelectionSetNode, keys: string[] = []): string[] {
    for (const s of selectionSet.selections) {
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        if (!keys.includes(key)) keys.push(key);
      } else {
        const body = s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)?.selectionSet;
        if (body) responseKeys(body, keys);
      }
    }
    return keys;
  }

  function verdict(parent: GraphQLCompositeType, field: string): { v: Verdict; at: string } {
    if (!isAbstractType(parent)) return { v: verdictFor(`${parent.name}.${field}`), at: `${parent.name}.${field}` };
    // A field of an interface or union is allowed only where every possible type allows it.
    for (const type of schema.getPossibleTypes(parent)) {
      const v = verdictFor(`${type.name}.${field}`);
      if (!v.allowed) return { v, at: `${type.name}.${field}` };
    }
    return { v: { allowed: true, grantId: null, rowScope: 'ALL' }, at: `${parent.name}.${field}` };
  }

  function prune(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, path: string[], onType?: string): SelectionSetNode | null {
    const kept: SelectionNode[] = [];
    let needsDistrict = false;
    let needsType = false;
    const lossesBefore = denied.size + emptied.length;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const key = selection.alias?.value ?? name;
        if (name.startsWith('__')) {
          kept.push(selection);
          continue;
        }
        const { v, at } = verdict(parent, name);
        const fieldPath = [...path, key];
        if (!v.allowed) {
          const coordinate = `${parent.name}.${name}`;
          denied.set(`${fieldPath.join('.')}|${coordinate}`, { coordinate, path: fieldPath, verdict: v, decidedAt: at, ...(onType ? { onType } : {}) });
          continue;
        }
        if (v.rowScope === 'OWN_DISTRICT') {
          needsDistrict = true;
          rowScoped++;
        }
        if (!selection.selectionSet) {
          kept.push(selection);
          continue;
        }
        const fieldType = 'getFields' in parent ? parent.getFields()[name]?.type : undefined;
        const named = fieldType && getNamedType(fieldType);
        const child = named && isCompositeType(named) ? prune(selection.selectionSet, named, fieldPath) : selection.selectionSet;
        if (child) kept.push({ ...selection, selectionSet: child });
        else emptied.push({ path: fieldPath, ...(onType ? { onType } : {}) });
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : undefined;
        const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition : fragment?.typeCondition;
        const body = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment?.selectionSet;
        if (!body) continue;
        const type = condition ? (schema.getType(condition.name.value) as GraphQLCompositeType) : parent;
        const narrows = isAbstractType(parent) && type !== parent && !isAbstractType(type);
        const before = denied.size + emptied.length + rowScoped;
        const child = prune(body, type, path, narrows ? type.name : onType);
        if (narrows && denied.size + emptied.length + rowScoped > before) needsType = true;
        if (child) {
          kept.push({
            kind: Kind.INLINE_FRAGMENT,
            ...(condition ? { typeCondition: condition } : {}),
            directives: selection.directives ?? [],
            selectionSet: child,
          });
        }
      }
    }
    if (denied.size + emptied.length > lossesBefore) keyOrder.push({ path, keys: responseKeys(selectionSet) });
    if (kept.length === 0) return null;
    if (needsType && isAbstractType(parent)) kept.push(...askRuntimeType(schema, parent));
    if (needsType || (needsDistrict && 'getFields' in parent && parent.getFields().district)) injected.push(path);
    if (needsDistrict && 'getFields' in parent && parent.getFields().district) {
      kept.push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: ROW_DISTRICT_ALIAS }, name: { kind: Kind.NAME, value: 'district' } });
    }
    return { kind: Kind.SELECTION_SET, selections: kept };
  }

  const selectionSet = prune(operation.selectionSet, root, []);
  const nothingLeft = selectionSet === null || selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
  const pruned: OperationDefinitionNode = {
    ...operation,
    // Nothing at all left: an empty selection, never planned (see nothingLeft).
    selectionSet: selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [pruned] }, denied: [...denied.values()], emptied, injected, nothingLeft, keyOrder };
}
