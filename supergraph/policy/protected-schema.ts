// What requesters are served: the contract derived from the labels, under the shield.

import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import type { LabelCatalog } from '../labels/index.ts';
import { contractSchema } from './contract-schema.ts';
import { shieldFor } from './shield-rules.ts';

export function protectedSchema(schema: GraphQLSchema, catalog: LabelCatalog): GraphQLSchema {
  const contract = contractSchema(schema, catalog);
  return applyMiddleware(contract, shieldFor(contract, catalog));
}
