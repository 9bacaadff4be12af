// Row scope at the source, for records reached by reference: when a call is kept to a district
// (a district-limited grant, named in the caller's assertion), a field that grant covers is not
// released for a record of another district; the provider answers FORBIDDEN_ROW in its place,
// so the value never leaves the provider and the gateway still tells the requester why.

import { GraphQLError, Kind, parse, type GraphQLFieldResolver } from 'graphql';
import { rowDistrict, type CallerAssertion } from './caller-trust.ts';
import type { ResolverMap } from './provider.ts';

type Row = Record<string, unknown> & { district?: unknown };

/** The provider's resolvers, with every field of its object types checked against the caller's row scope. */
export function withRowScope(typeDefs: string, resolvers: ResolverMap): ResolverMap {
  const scoped: ResolverMap = { ...resolvers };
  for (const definition of parse(typeDefs).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const type = definition.name.value;
    if (type === 'Query' || type === 'Mutation' || type === 'Subscription') continue;
    const own = (resolvers[type] ?? {}) as ResolverMap;
    const fields: ResolverMap = { ...own };
    for (const field of definition.fields ?? []) {
      const name = field.name.value;
      const coordinate = `${type}.${name}`;
      const resolve = own[name] as GraphQLFieldResolver<Row, { caller?: CallerAssertion }> | undefined;
      fields[name] = (row: Row, args: Record<string, unknown>, context: { caller?: CallerAssertion }, info: never) => {
        const district = rowDistrict(context.caller, type);
        if (district !== null && context.caller!.rows!.coordinates.includes(coordinate) && typeof row?.district === 'string' && row.district !== district) {
          throw new GraphQLError(`${coordinate} of a record outside district ${district} is not released under a district-limited grant.`, {
            extensions: { code: 'FORBIDDEN_ROW', coordinate },
          });
        }
        return resolve ? resolve(row, args, context, info) : row?.[name];
      };
    }
    scoped[type] = fields;
  }
  return scoped;
}
