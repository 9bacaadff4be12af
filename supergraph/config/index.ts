export { ConfigError } from './config-error.ts';
export { AUTHORIZATION_MODES, configurationJsonSchema, configurationSchema, fileJsonSchema, WHOLE, type Configuration, type SignInConfiguration } from './configuration-schema.ts';
export { configurationReference } from './configuration-reference.ts';
export { parseFileInput } from './load-configuration.ts';
export { fromPackageRoot, PACKAGE_ROOT } from './package-root.ts';
export { loadConfiguration, loadSettings, LOG_LEVELS, type CitySettings, type FairUse, type LogLevel, type Settings } from './settings.ts';
export { readJsonFile } from './read-json-file.ts';
export { parseSubgraphList, readSubgraphList, subgraphListFileSchema, type SubgraphEntry } from './subgraph-list.ts';
