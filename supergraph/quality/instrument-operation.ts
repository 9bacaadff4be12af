// For lineage, the gateway needs a little more than the requester asked for: each entity's key
// (to find open objections), the as-of field of annotated values, and the runtime type under
// abstract fields. These ride along under `_jg_` aliases and are removed from the answer. They
// pass the requester's policy like the fields it asked for: a key or as-of field it may not
// receive is not asked for, so lineage never becomes a way to have a provider release it.

import { getNamedType, isAbstractType, isCompositeType, isObjectType, Kind, type DocumentNode, type FieldNode, type GraphQLCompositeType, type GraphQLSchema, type SelectionNode, type SelectionSetNode } from 'graphql';
import type { QualityDeclarations } from '../../directives/index.ts';
import { declaredQuality } from './declared-quality.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { askRuntimeType, INTERNAL_ALIAS_PREFIX, KEY_ALIAS } from '../response/index.ts';

export const AS_OF_ALIAS = (field: string) => `${INTERNAL_ALIAS_PREFIX}asof_${field}`;

function aliased(alias: string, name: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: alias }, name: { kind: Kind.NAME, value: name } };
}

/** Instruments the (single, fragment-free) operation of a pruned document with the fields `mayAsk` allows. */
export function instrumentOperation(
  schema: GraphQLSchema, document: DocumentNode, catalog: LabelCatalog, declarations: QualityDeclarations, mayAsk: (coordinate: string) => boolean,
): DocumentNode {
  function instrument(selectionSet: SelectionSetNode, type: GraphQLCompositeType): SelectionSetNode {
    const selections: SelectionNode[] = selectionSet.selections.map((s) => {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        const t = s.typeCondition ? (schema.getType(s.typeCondition.name.value) as GraphQLCompositeType) : type;
        return { ...s, selectionSet: instrument(s.selectionSet, t) };
      }
      if (s.kind !== Kind.FIELD || !s.selectionSet || !('getFields' in type)) return s;
      const named = type.getFields()[s.name.value] && getNamedType(type.getFields()[s.name.value]!.type);
      return named && isCompositeType(named) ? { ...s, selectionSet: instrument(s.selectionSet, named) } : s;
    });
    const added: SelectionNode[] = [];
    if (isAbstractType(type)) added.push(...askRuntimeType(schema, type));
    if (isObjectType(type)) {
      for (const key of catalog.keyFields.get(type.name) ?? []) if (mayAsk(`${type.name}.${key}`)) added.push(aliased(KEY_ALIAS(key), key));
      const asOf = new Set<string>();
      for (const s of selectionSet.selections) {
        const field = s.kind === Kind.FIELD ? declaredQuality(catalog, declarations, `${type.name}.${s.name.value}`)?.asOfField : undefined;
        if (field && type.getFields()[field] && mayAsk(`${type.name}.${field}`)) asOf.add(field);
      }
      for (const field of asOf) added.push(aliased(AS_OF_ALIAS(field), field));
    }
    return { ...selectionSet, selections: [...selections, ...added] };
  }

  return {
    ...document,
    definitions: document.definitions.map((d) => {
      if (d.kind !== Kind.OPERATION_DEFINITION) return d;
      const root = schema.getRootType(d.operation);
      return root ? { ...d, selectionSet: instrument(d.selectionSet, root) } : d;
    }),
  };
}

/** Removes every `_jg_` field the gateway added. */
export function stripInternalFields(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(stripInternalFields);
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    if (key.startsWith(INTERNAL_ALIAS_PREFIX)) Reflect.deleteProperty(value, key);
    else stripInternalFields((value as Record<string, unknown>)[key]);
  }
}
