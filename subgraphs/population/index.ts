// Public Security Bureau: the household register.

import { withSpecDefinitions } from '../../directives/index.ts';
import { readSdl, type ProviderDefinition } from '../kit/index.ts';
import { createPopulationContext, populationResolvers } from './resolvers.ts';
import { populationStore } from './store.ts';

export const population: ProviderDefinition = {
  name: 'population',
  department: 'Public Security Bureau',
  server: 'apollo',
  typeDefs: withSpecDefinitions(readSdl(import.meta.url)),
  store: populationStore,
  resolvers: populationResolvers,
  createContext: createPopulationContext,
};
