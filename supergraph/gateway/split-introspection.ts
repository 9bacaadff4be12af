// Introspection is answered by the gateway from the schema the requester is served (the
// contract), never planned: `__schema` and `__type` root fields are split from the data fields,
// which go to the plan. Root-level fragments are opened so that both halves stay valid.

import { Kind, print, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

export interface SplitOperation {
  /** The introspection half (with the document's fragments), or null. */
  introspection: DocumentNode | null;
  /** The data half, or null when the operation asks only for introspection. */
  data: DocumentNode | null;
  /** The data half's text, which keys its pruning and plan. */
  dataSource: string;
  /** The root response keys in the order asked, to merge the halves back. */
  keys: string[];
}

const META = new Set(['__schema', '__type']);

function rootFields(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen = new Set<string>()): SelectionNode[] {
  const out: SelectionNode[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...rootFields(s.selectionSet, fragments, seen).map((f) => withDirectives(f, s.directives)));
    else if (!seen.has(s.name.value)) {
      const fragment = fragments.get(s.name.value);
      if (fragment) out.push(...rootFields(fragment.selectionSet, fragments, new Set([...seen, s.name.value])).map((f) => withDirectives(f, s.directives)));
    }
  }
  return out;
}

/** A root field lifted out of a fragment keeps the fragment's @skip/@include. */
function withDirectives(selection: SelectionNode, directives: SelectionNode['directives']): SelectionNode {
  return directives?.length ? { ...selection, directives: [...(selection.directives ?? []), ...directives] } : selection;
}

/** Documents are cached, so each operation is looked at once. */
const splits = new WeakMap<OperationDefinitionNode, SplitOperation | null>();

/** Null when the operation has no introspection root field (the common case: nothing is copied). */
export function splitIntrospection(document: DocumentNode, operation: OperationDefinitionNode): SplitOperation | null {
  let split = splits.get(operation);
  if (split === undefined) splits.set(operation, (split = splitOnce(document, operation)));
  return split;
}

function splitOnce(document: DocumentNode, operation: OperationDefinitionNode): SplitOperation | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fields = rootFields(operation.selectionSet, fragments) as FieldNode[];
  if (!fields.some((f) => META.has(f.name.value))) return null;
  const meta = fields.filter((f) => META.has(f.name.value) || f.name.value === '__typename');
  const data = fields.filter((f) => !META.has(f.name.value));
  const half = (selections: FieldNode[]): DocumentNode => ({
    kind: Kind.DOCUMENT,
    definitions: [{ ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections } }, ...fragments.values()],
  });
  const keys = [...new Set(fields.map((f) => f.alias?.value ?? f.name.value))];
  const onlyTypename = data.every((f) => f.name.value === '__typename');
  const dataHalf = onlyTypename ? null : half(data);
  return { introspection: half(meta), data: dataHalf, dataSource: dataHalf ? print(dataHalf) : '', keys };
}
