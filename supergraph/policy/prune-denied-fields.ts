// Before planning, every denied field is removed from the operation, so no provider is ever
// sent a field the requester may not receive: whether it was asked for directly, through an
// alias, a fragment or an inline fragment. Fragments are inlined first, so each denial has the
// response path where it would have appeared.

import {
  getNamedType, isAbstractType, isCompositeType, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type FragmentSpreadNode, type GraphQLCompositeType, type GraphQLSchema,
  type InlineFragmentNode, type OperationDefinitionNode, type SelectionNode, type SelectionSetNode,
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

/** One pruning: the operation's fragments, and what it has taken out so far. */
interface Pruning {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  verdictFor(coordinate: string): Verdict;
  denied: Map<string, DeniedField>;
  emptied: EmptiedField[];
  injected: string[][];
  keyOrder: { path: string[]; keys: string[] }[];
  // Fields kept under a district-limited grant: the shield needs the runtime type to check them.
  rowScoped: number;
}

const losses = (p: Pruning) => p.denied.size + p.emptied.length;

/** The response keys a selection set asks for, fragments flattened, in order. */
function responseKeys(fragments: Map<string, FragmentDefinitionNode>, selectionSet: SelectionSetNode, keys: string[] = []): string[] {
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) {
      const key = s.alias?.value ?? s.name.value;
      if (!keys.includes(key)) keys.push(key);
    } else {
      const body = s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : fragments.get(s.name.value)?.selectionSet;
      if (body) responseKeys(fragments, body, keys);
    }
  }
  return keys;
}

function verdict({ schema, verdictFor }: Pruning, parent: GraphQLCompositeType, field: string): { v: Verdict; at: string } {
  if (!isAbstractType(parent)) return { v: verdictFor(`${parent.name}.${field}`), at: `${parent.name}.${field}` };
  // A field of an interface or union is allowed only where every possible type allows it.
  for (const type of schema.getPossibleTypes(parent)) {
    const v = verdictFor(`${type.name}.${field}`);
    if (!v.allowed) return { v, at: `${type.name}.${field}` };
  }
  return { v: { allowed: true, grantId: null, rowScope: 'ALL' }, at: `${parent.name}.${field}` };
}

/** Keeps `selection` in `kept` (its own selections pruned) or records it denied or emptied; true when kept under a district-limited grant. */
function pruneField(p: Pruning, selection: FieldNode, parent: GraphQLCompositeType, path: string[], onType: string | undefined, kept: SelectionNode[]): boolean {
  const name = selection.name.value;
  const key = selection.alias?.value ?? name;
  if (name.startsWith('__')) {
    kept.push(selection);
    return false;
  }
  const { v, at } = verdict(p, parent, name);
  const fieldPath = [...path, key];
  if (!v.allowed) {
    const coordinate = `${parent.name}.${name}`;
    p.denied.set(`${fieldPath.join('.')}|${coordinate}`, { coordinate, path: fieldPath, verdict: v, decidedAt: at, ...(onType ? { onType } : {}) });
    return false;
  }
  const rowScoped = v.rowScope === 'OWN_DISTRICT';
  if (rowScoped) p.rowScoped++;
  if (!selection.selectionSet) {
    kept.push(selection);
    return rowScoped;
  }
  const fieldType = 'getFields' in parent ? parent.getFields()[name]?.type : undefined;
  const named = fieldType && getNamedType(fieldType);
  const child = named && isCompositeType(named) ? prune(p, selection.selectionSet, named, fieldPath) : selection.selectionSet;
  if (child) kept.push({ ...selection, selectionSet: child });
  else p.emptied.push({ path: fieldPath, ...(onType ? { onType } : {}) });
  return rowScoped;
}

/** Keeps a fragment, inlined and pruned, in `kept`; true when it narrows an abstract type and lost or row-scoped a field: the runtime type is then asked for. */
function pruneFragment(p: Pruning, selection: FragmentSpreadNode | InlineFragmentNode, parent: GraphQLCompositeType, path: string[], onType: string | undefined, kept: SelectionNode[]): boolean {
  const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? p.fragments.get(selection.name.value) : undefined;
  const condition = selection.kind === Kind.INLINE_FRAGMENT ? selection.typeCondition : fragment?.typeCondition;
  const body = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragment?.selectionSet;
  if (!body) return false;
  const type = condition ? (p.schema.getType(condition.name.value) as GraphQLCompositeType) : parent;
  const narrows = isAbstractType(parent) && type !== parent && !isAbstractType(type);
  const before = losses(p) + p.rowScoped;
  const child = prune(p, body, type, path, narrows ? type.name : onType);
  if (child) {
    kept.push({
      kind: Kind.INLINE_FRAGMENT,
      ...(condition ? { typeCondition: condition } : {}),
      directives: selection.directives ?? [],
      selectionSet: child,
    });
  }
  return narrows && losses(p) + p.rowScoped > before;
}

function prune(p: Pruning, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, path: string[], onType?: string): SelectionSetNode | null {
  const kept: SelectionNode[] = [];
  let needsDistrict = false;
  let needsType = false;
  const lossesBefore = losses(p);
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) needsDistrict = pruneField(p, selection, parent, path, onType, kept) || needsDistrict;
    else needsType = pruneFragment(p, selection, parent, path, onType, kept) || needsType;
  }
  if (losses(p) > lossesBefore) p.keyOrder.push({ path, keys: responseKeys(p.fragments, selectionSet) });
  if (kept.length === 0) return null;
  if (needsType && isAbstractType(parent)) kept.push(...askRuntimeType(p.schema, parent));
  if (needsType || (needsDistrict && 'getFields' in parent && parent.getFields().district)) p.injected.push(path);
  if (needsDistrict && 'getFields' in parent && parent.getFields().district) {
    kept.push({ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: ROW_DISTRICT_ALIAS }, name: { kind: Kind.NAME, value: 'district' } });
  }
  return { kind: Kind.SELECTION_SET, selections: kept };
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

  const p: Pruning = { schema, fragments, verdictFor, denied: new Map(), emptied: [], injected: [], keyOrder: [], rowScoped: 0 };
  const selectionSet = prune(p, operation.selectionSet, root, []);
  const nothingLeft = selectionSet === null || selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
  const pruned: OperationDefinitionNode = {
    ...operation,
    // Nothing at all left: an empty selection, never planned (see nothingLeft).
    selectionSet: selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [pruned] }, denied: [...p.denied.values()], emptied: p.emptied, injected: p.injected, nothingLeft, keyOrder: p.keyOrder };
}
