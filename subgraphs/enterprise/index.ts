// Market Regulation Administration: the register of market entities.

import { withSpecDefinitions } from '../../directives/index.ts';
import { readSdl, type ProviderDefinition } from '../kit/index.ts';
import { createEnterpriseContext, enterpriseResolvers } from './resolvers.ts';
import { enterpriseStore } from './store.ts';

export const enterprise: ProviderDefinition = {
  name: 'enterprise',
  department: 'Market Regulation Administration',
  server: 'apollo',
  typeDefs: withSpecDefinitions(readSdl(import.meta.url)),
  store: enterpriseStore,
  resolvers: enterpriseResolvers,
  createContext: createEnterpriseContext,
};
