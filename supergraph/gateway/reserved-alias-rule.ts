// Aliases starting with `_jg_` are reserved for the fields the gateway adds to an operation
// (entity keys, as-of times, runtime types, districts for row rules). A requester may not use
// them, so nothing a requester sends can pass for gateway plumbing.

import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { INTERNAL_ALIAS_PREFIX as RESERVED_ALIAS_PREFIX } from '../response/index.ts';

export function ReservedAliasRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.alias?.value.startsWith(RESERVED_ALIAS_PREFIX)) {
        context.reportError(new GraphQLError(`The alias "${node.alias.value}" is reserved: aliases may not start with "${RESERVED_ALIAS_PREFIX}".`, { nodes: node }));
      }
    },
  };
}
