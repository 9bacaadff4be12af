export { manyByKey, oneByKey, perDistrict, prepared } from './batch-query.ts';
export type { ProviderDefinition, ResolverMap, SubgraphServer } from './provider.ts';
export { openProviderStore, storeFile, type Db, type StoreSpec } from './provider-store.ts';
export { RequestLog, type ProviderRequest } from './request-log.ts';
export { startProvider, type RunningProvider, type StartProviderOptions } from './start-provider.ts';
export { readSdl } from './read-sdl.ts';
export { ASSERTION_HEADER, callerVerifier, fieldDistrict, rowDistrict, type CallerAssertion, type CallerTrust } from './caller-trust.ts';
