// The schema requesters see, derived from the labels: NOT_SHARED fields do not exist (neither in
// introspection nor in validation; on an interface, where any implementation's is NOT_SHARED),
// and every output field of objects and interfaces is nullable, because any value may
// be withheld: a denied field, a record outside a granted district, a provider that is down.
// (Nullability must be uniform, or fields of union members could no longer be merged.)
// Resolvers and the stitching metadata are kept, so NOT_SHARED fields stay usable inside the
// supergraph for @key and @requires.

import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLList, GraphQLNonNull, isInterfaceType, isListType, isNonNullType, type GraphQLFieldConfig, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import type { LabelCatalog } from '../labels/index.ts';

function nullable(type: GraphQLOutputType): GraphQLOutputType {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner) ? new GraphQLList(nullable(inner.ofType)) : inner;
}

export function contractSchema(schema: GraphQLSchema, catalog: LabelCatalog): GraphQLSchema {
  const notShared = (coordinate: string) => catalog.fields.get(coordinate)?.label.sharing === 'NOT_SHARED';
  // An interface field goes where any implementation's field goes, or the schema would not be valid.
  const hiddenOnInterface = (typeName: string, fieldName: string) => {
    const type = schema.getType(typeName);
    return notShared(`${typeName}.${fieldName}`) || (isInterfaceType(type) && schema.getPossibleTypes(type).some((t) => notShared(`${t.name}.${fieldName}`)));
  };
  const contractField = (hidden: (typeName: string, fieldName: string) => boolean) => (config: GraphQLFieldConfig<unknown, unknown>, fieldName: string, typeName: string) => {
    if (hidden(typeName, fieldName)) return null;
    return config.type instanceof GraphQLNonNull || isListType(config.type) ? { ...config, type: nullable(config.type) } : config;
  };
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: contractField((typeName, fieldName) => notShared(`${typeName}.${fieldName}`)),
    [MapperKind.INTERFACE_FIELD]: contractField(hiddenOnInterface),
  });
}
