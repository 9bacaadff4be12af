// The schema requesters see, derived from the labels: NOT_SHARED fields do not exist (neither in
// introspection nor in validation), and every output field is nullable, because any value may
// be withheld: a denied field, a record outside a granted district, a provider that is down.
// (Nullability must be uniform, or fields of union members could no longer be merged.)
// Resolvers and the stitching metadata are kept, so NOT_SHARED fields stay usable inside the
// supergraph for @key and @requires.

import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLList, GraphQLNonNull, isListType, isNonNullType, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import type { LabelCatalog } from '../labels/index.ts';

function nullable(type: GraphQLOutputType): GraphQLOutputType {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) ? new GraphQLList(nullable(inner.ofType)) : inner;
}

export function contractSchema(schema: GraphQLSchema, catalog: LabelCatalog): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      if (catalog.fields.get(`${typeName}.${fieldName}`)?.label.sharing === 'NOT_SHARED') return null;
      return config.type instanceof GraphQLNonNull || isListType(config.type) ? { ...config, type: nullable(config.type) } : config;
    },
  });
}
