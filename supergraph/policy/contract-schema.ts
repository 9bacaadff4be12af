// The schema requesters see, derived from the labels: NOT_SHARED fields do not exist (neither in
// introspection nor in validation), and fields that may be denied are nullable, so a denial
// nulls the field rather than its parent. Resolvers and the stitching metadata are kept, so
// NOT_SHARED fields stay usable inside the supergraph for @key and @requires.

import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLNonNull, type GraphQLSchema } from 'graphql';
import type { LabelCatalog } from '../labels/index.ts';

export function contractSchema(schema: GraphQLSchema, catalog: LabelCatalog): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const field = catalog.fields.get(`${typeName}.${fieldName}`);
      if (!field) return config;
      if (field.label.sharing === 'NOT_SHARED') return null;
      if (field.label.sharing !== 'UNCONDITIONAL' && config.type instanceof GraphQLNonNull) return { ...config, type: config.type.ofType };
      return config;
    },
  });
}
