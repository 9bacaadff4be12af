export { ConfigError, loadSettings, type CitySettings, type Settings } from './settings.ts';
export { parseSubgraphList, readSubgraphList, type SubgraphEntry } from './subgraph-list.ts';
