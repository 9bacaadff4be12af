// Process entry: the @mercuriusjs/gateway contender, with jit as in the public benchmark. Plain
// JavaScript on purpose: it resolves its packages (and graphql 16.14.0) from this folder's own
// node_modules, apart from the main tree, so it must not go through the main tsconfig.
// Usage: node bench/gateways/mercurius/gateway.mjs --services SERVICES.json
//   SERVICES.json: [{ "name", "url", "sdlFile" }]; the SDL is given, not read from _service
//   (mercurius cannot read what @apollo/subgraph prints for Federation-1 subgraphs).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import mercuriusGateway from '@mercuriusjs/gateway';
import Fastify from 'fastify';

const { values } = parseArgs({ options: { services: { type: 'string' } } });
if (!values.services) throw new Error('--services FILE is required');
const services = JSON.parse(readFileSync(values.services, 'utf8')).map((s) => ({
  name: s.name,
  url: s.url,
  schema: readFileSync(s.sdlFile, 'utf8'),
  mandatory: true,
}));

const app = Fastify({ logger: false });
await app.register(mercuriusGateway, { gateway: { services }, jit: 1 });
const address = await app.listen({ host: '127.0.0.1', port: 0 });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  app.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`BENCH_READY ${JSON.stringify({ pid: process.pid, url: `${address}/graphql` })}\n`);
