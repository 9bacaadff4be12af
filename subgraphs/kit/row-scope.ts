// Row scope at the source: when a call is kept to a district (a district-limited grant, named in
// the caller's assertion), a field that grant covers is released only for a record the provider
// knows, from its own store, to lie in that district. It fails closed: a record of another
// district, or one whose district the provider cannot establish (the resolvers put the record's
// jurisdiction on it as `district`), is answered FORBIDDEN_ROW in the field's place, so the value
// never leaves the provider and the gateway still tells the requester why.

import { GraphQLError, Kind, parse, type GraphQLFieldResolver } from 'graphql';
import { fieldDistrict, type CallerAssertion } from './caller-trust.ts';
import type { ResolverMap } from './provider.ts';

type Row = Record<string, unknown> & { district?: unknown };

function withheld(coordinate: string, district: string, row: Row | null | undefined): GraphQLError {
  const why = typeof row?.district === 'string' ? `of a record outside district ${district}` : `of a record whose district this provider cannot establish`;
  return new GraphQLError(`${coordinate} ${why} is not released under a grant limited to district ${district}.`, {
    extensions: { code: 'FORBIDDEN_ROW', coordinate },
  });
}

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
        const district = fieldDistrict(context.caller, coordinate);
        if (district !== null && row?.district !== district) throw withheld(coordinate, district, row);
        return resolve ? resolve(row, args, context, info) : row?.[name];
      };
    }
    scoped[type] = fields;
  }
  return scoped;
}
