// Process entry: Apollo Gateway (@apollo/gateway on @apollo/server's standalone HTTP server) in
// front of a supergraph file, with its defaults apart from the landing page.
// Usage: node --import tsx bench/gateways/apollo-gateway.ts --supergraph FILE

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { announceReady, stopOnSignal } from '../kit/ready-line.ts';

const { values } = parseArgs({ options: { supergraph: { type: 'string' } } });
if (!values.supergraph) throw new Error('--supergraph FILE is required');

const gateway = new ApolloGateway({ supergraphSdl: readFileSync(values.supergraph, 'utf8') });
const server = new ApolloServer({ gateway, plugins: [ApolloServerPluginLandingPageDisabled()] });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });

stopOnSignal(() => server.stop());
announceReady({ url });
