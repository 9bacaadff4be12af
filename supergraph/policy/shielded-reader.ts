// The schema the shield runs on: the contract, whose fields read the values a plan already
// released (by response key) instead of asking anyone, with the graphql-shield rule tree
// from the same policy applied as middleware. Executing a document on it re-checks values.

import { isAbstractType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import type { LabelCatalog } from '../labels/index.ts';
import { TYPE_ALIAS } from '../response/index.ts';
import { shieldFor } from './shield-rules.ts';

const readReleased: GraphQLFieldResolver<Record<string, unknown> | null, unknown> = (source, _args, _context, info) => source?.[info.path.key as string];

function runtimeType(value: Record<string, unknown>): string | undefined {
  const type = value.__typename ?? value[TYPE_ALIAS];
  return typeof type === 'string' ? type : undefined;
}

export function shieldedReader(contract: GraphQLSchema, catalog: LabelCatalog): GraphQLSchema {
  const reader = mapSchema(contract, {
    [MapperKind.OBJECT_FIELD]: (config) => ({ ...config, resolve: readReleased }),
  });
  for (const type of Object.values(reader.getTypeMap())) if (isAbstractType(type)) type.resolveType = runtimeType;
  return applyMiddleware(reader, shieldFor(reader, catalog));
}
