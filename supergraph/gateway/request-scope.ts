// graphql-tools keys its per-request batch loaders on `info.rootValue || context`. mercurius
// executes every request with one shared root value, so without this the loaders (and the
// context captured by their first batch) would live across requests: stale data, and one
// requester's batch reused for another. Every composite field therefore sees the request's own
// context as its root value. Leaf fields never start a delegation and are left untouched.

import { defaultFieldResolver, getNamedType, isCompositeType, isObjectType, type GraphQLSchema } from 'graphql';

export function scopeLoadersToRequest(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) =>
        info.rootValue === context ? resolve(source, args, context, info) : resolve(source, args, context, { ...info, rootValue: context });
    }
  }
  return schema;
}
