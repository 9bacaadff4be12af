// The selections by which the gateway learns an abstract value's runtime type: `__typename` under
// `_jg_type`, asked once per possible type rather than on the interface or union itself. The
// Hive Router planner (router-query-planner 0.0.38) does not see `__typename` on an interface as
// covered by a `@provides` selection: asked there, it drops the providing subgraph and plans
// through another, which may not resolve the field. On each possible type it keeps the plan.

import { Kind, type GraphQLAbstractType, type GraphQLSchema, type InlineFragmentNode } from 'graphql';
import { TYPE_ALIAS } from './walk-response.ts';

export function askRuntimeType(schema: GraphQLSchema, type: GraphQLAbstractType): InlineFragmentNode[] {
  return schema.getPossibleTypes(type).map((possible) => ({
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: possible.name } },
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [{ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPE_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } }],
    },
  }));
}
