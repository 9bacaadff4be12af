// Civil Affairs Bureau: marriage register and subsistence allowances. Served with mercurius.

import { withSpecDefinitions } from '../../directives/index.ts';
import { readSdl, type ProviderDefinition } from '../kit/index.ts';
import { civilAffairsResolvers, createCivilAffairsContext } from './resolvers.ts';
import { civilAffairsStore } from './store.ts';

export const civilAffairs: ProviderDefinition = {
  name: 'civil-affairs',
  department: 'Civil Affairs Bureau',
  server: 'mercurius',
  typeDefs: withSpecDefinitions(readSdl(import.meta.url)),
  store: civilAffairsStore,
  resolvers: civilAffairsResolvers,
  createContext: createCivilAffairsContext,
};
