// Process entry: the four standard subgraphs on one loopback port, their composed supergraph
// written to --dir, and the control endpoint. Usage: node --import tsx bench/standard/standard-process.ts --dir DIR

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { composeSupergraph, formatProblem } from '../../supergraph/compose/index.ts';
import { startControlServer } from '../kit/control-server.ts';
import { announceReady, stopOnSignal } from '../kit/ready-line.ts';
import { SubgraphTraffic } from '../kit/subgraph-traffic.ts';
import { serveSubgraphs } from './serve-graphql.ts';
import { STANDARD_SUBGRAPHS, standardSchema, standardSdl } from './standard-subgraphs.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = values.dir ?? process.cwd();

const traffic = new SubgraphTraffic();
const control = await startControlServer(traffic);
const { server, urls } = await serveSubgraphs(Object.fromEntries(STANDARD_SUBGRAPHS.map((n) => [n, standardSchema(n)])), traffic);

const subgraphs = STANDARD_SUBGRAPHS.map((name) => ({ name, url: urls[name]!, sdlFile: new URL(`./fixtures/${name}.graphql`, import.meta.url).pathname }));
const composed = composeSupergraph(subgraphs.map((s) => ({ name: s.name, url: s.url, sdl: standardSdl(s.name) })));
if (!composed.ok) throw new Error(`Composition failed:\n${composed.problems.map(formatProblem).join('\n')}`);
const supergraphFile = join(dir, 'standard.supergraph.graphql');
writeFileSync(supergraphFile, composed.supergraphSdl);

stopOnSignal(async () => {
  server.closeAllConnections();
  await Promise.all([new Promise((r) => server.close(r)), control.close()]);
});
announceReady({ control: control.url, supergraphFile, subgraphs });
