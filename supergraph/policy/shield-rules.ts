// Resolve-time enforcement: a graphql-shield rule tree generated from the same policy and the
// same catalogue. Defence in depth for every labelled field, and the row-level rule: a grant
// limited to the requester's own district only yields persons and enterprises of that district.
// fallbackRule is deny; provider errors pass through unmasked (allowExternalErrors).

import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { ERRORS } from '../errors/index.ts';
import { INTERNAL_ALIAS_PREFIX } from '../response/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { RequestAuthorization } from './request-authorization.ts';
import { ROW_DISTRICT_ALIAS } from './prune-denied-fields.ts';

interface ShieldContext {
  authz?: RequestAuthorization;
}

export function forbiddenRowError(coordinate: string, district: string | null): GraphQLError {
  return new GraphQLError(`This record lies outside the district your grant covers (${district ?? 'none'}).`, {
    extensions: { code: 'FORBIDDEN_ROW', hint: ERRORS.FORBIDDEN_ROW.hint, coordinate },
  });
}

/** The policy, re-checked where the value is resolved. */
const policyAllows = rule({ cache: 'no_cache' })((parent: Record<string, unknown> | null, _args, context: ShieldContext, info) => {
  const authz = context.authz;
  if (!authz || authz.mode === 'dry-run') return true;
  // Fields the gateway added for itself (keys, as-of times): never returned; requesters cannot use the prefix.
  if (info.fieldNodes[0]?.alias?.value.startsWith(INTERNAL_ALIAS_PREFIX)) return true;
  const coordinate = `${info.parentType.name}.${info.fieldName}`;
  const verdict = authz.verdictFor(coordinate);
  if (!verdict.allowed) {
    return new GraphQLError(`Access denied to ${coordinate}: ${verdict.message}`, {
      extensions: { code: 'FORBIDDEN_FIELD', hint: ERRORS.FORBIDDEN_FIELD.hint, coordinate, reason: verdict.reason },
    });
  }
  if (verdict.rowScope === 'OWN_DISTRICT') {
    const district = parent?.[ROW_DISTRICT_ALIAS] ?? parent?.district;
    if (district !== authz.requester.district) return forbiddenRowError(coordinate, authz.requester.district);
  }
  return true;
});

export function shieldFor(schema: GraphQLSchema, catalog: LabelCatalog) {
  const tree: Record<string, Record<string, typeof policyAllows>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const name of Object.keys(type.getFields())) {
      if (catalog.fields.has(`${type.name}.${name}`)) (tree[type.name] ??= {})[name] = policyAllows;
    }
  }
  return shield(tree as IRules, { fallbackRule: deny, allowExternalErrors: true, debug: false });
}
