// Reading the @join__* directives composition writes on a supergraph's types and fields.

import { Kind, type ConstDirectiveNode, type FieldDefinitionNode } from 'graphql';

export function joinArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value && 'value' in value && typeof value.value === 'string' ? value.value : undefined;
}

function flag(directive: ConstDirectiveNode, name: string): boolean {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.BOOLEAN && value.value;
}

/** The field's @join__field directives that name a subgraph. */
export function joinFields(field: FieldDefinitionNode): ConstDirectiveNode[] {
  return field.directives?.filter((d) => d.name.value === 'join__field' && joinArgument(d, 'graph') !== undefined) ?? [];
}

/**
 * The subgraphs that resolve the field. One that declares it only `@external` (to @requires,
 * @provides or @key on it) or whose version was overridden serves another provider's value.
 */
export function resolvingJoinFields(field: FieldDefinitionNode): ConstDirectiveNode[] {
  return joinFields(field).filter((d) => !flag(d, 'external') && !flag(d, 'usedOverridden'));
}
