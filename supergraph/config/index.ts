export { ConfigError, loadSettings, type CitySettings, type Settings } from './settings.ts';
export { readJsonFile } from './read-json-file.ts';
export { parseSubgraphList, readSubgraphList, type SubgraphEntry } from './subgraph-list.ts';
