// Human Resources and Social Security Bureau: pension, medical and unemployment insurance.

import { withSpecDefinitions } from '../../directives/index.ts';
import { readSdl, type ProviderDefinition } from '../kit/index.ts';
import { createSocialInsuranceContext, socialInsuranceResolvers } from './resolvers.ts';
import { socialInsuranceStore } from './store.ts';

export const socialInsurance: ProviderDefinition = {
  name: 'social-insurance',
  department: 'Human Resources and Social Security Bureau',
  server: 'apollo',
  typeDefs: withSpecDefinitions(readSdl(import.meta.url)),
  store: socialInsuranceStore,
  resolvers: socialInsuranceResolvers,
  createContext: createSocialInsuranceContext,
};
