// Process entry: the five sample providers (the product's own servers and stores) with request
// counting and switchable added latency, composed live; the supergraph and each provider's SDL
// are written to --dir for the gateways. Usage:
//   node --import tsx bench/sample/sample-process.ts --dir DIR [--persons N --enterprises N]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { composeLive, startSampleProviders } from '../../server/sample-platform.ts';
import { RequestLog, SAMPLE_PROVIDERS, type ProviderRequest } from '../../subgraphs/index.ts';
import { loadSettings } from '../../supergraph/config/index.ts';
import { startControlServer } from '../kit/control-server.ts';
import { announceReady, stopOnSignal } from '../kit/ready-line.ts';
import { SubgraphTraffic } from '../kit/subgraph-traffic.ts';
import { withAddedLatency } from './delayed-provider.ts';

/** The providers report every request to their RequestLog; here it only feeds the counters. */
class CountingLog extends RequestLog {
  constructor(private readonly traffic: SubgraphTraffic, private readonly urls: Map<string, string>) {
    super(0);
  }
  override record(entry: Omit<ProviderRequest, 'at'>): void {
    this.traffic.record(entry.provider, this.urls.get(entry.provider) ?? '', entry);
  }
}

const { values } = parseArgs({ options: { dir: { type: 'string' }, persons: { type: 'string' }, enterprises: { type: 'string' } } });
const dir = values.dir ?? process.cwd();
// The default city is the one whose outputs the README shows; the fan-out city only changes its size.
const settings = loadSettings({
  ...(values.persons ? { JG_PERSONS: values.persons } : {}),
  ...(values.enterprises ? { JG_ENTERPRISES: values.enterprises } : {}),
});

const traffic = new SubgraphTraffic();
const urls = new Map<string, string>();
const control = await startControlServer(traffic);
const providers = await startSampleProviders({
  host: '127.0.0.1',
  subgraphBasePort: 0,
  dataDir: settings.dataDir,
  city: settings.city,
  log: new CountingLog(traffic, urls),
  providers: SAMPLE_PROVIDERS.map((p) => withAddedLatency(p, traffic)),
});
for (const p of providers) urls.set(p.name, p.url);

const supergraphFile = join(dir, `sample-${settings.city.enterprises}.supergraph.graphql`);
writeFileSync(supergraphFile, await composeLive(providers.map((p) => ({ name: p.name, url: p.url }))));
const subgraphs = providers.map((p) => {
  const sdlFile = join(dir, `sample-${settings.city.enterprises}-${p.name}.graphql`);
  writeFileSync(sdlFile, SAMPLE_PROVIDERS.find((d) => d.name === p.name)!.typeDefs);
  return { name: p.name, url: p.url, sdlFile };
});

stopOnSignal(() => Promise.all([control.close(), ...providers.map((p) => p.close())]));
announceReady({ control: control.url, supergraphFile, subgraphs, city: settings.city });
