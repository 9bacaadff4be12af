// Taxation Bureau: credit ratings, tax paid and arrears. Served with mercurius.

import { withSpecDefinitions } from '../../directives/index.ts';
import { readSdl, type ProviderDefinition } from '../kit/index.ts';
import { createTaxContext, taxResolvers } from './resolvers.ts';
import { taxStore } from './store.ts';

export const tax: ProviderDefinition = {
  name: 'tax',
  department: 'Taxation Bureau',
  server: 'mercurius',
  typeDefs: withSpecDefinitions(readSdl(import.meta.url)),
  store: taxStore,
  resolvers: taxResolvers,
  createContext: createTaxContext,
};
