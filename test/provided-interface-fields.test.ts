// Fields a provider declares with @provides through interfaces (a filing's parties) are read from
// that provider in one call when authorization is on, as in plain federation: the runtime types
// the gateway asks along for the audit trail must not send the plan through other providers.

import { buildSubgraphSchema } from '@apollo/subgraph';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { graphql, parse } from 'graphql';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuthorization, type OpenAuthorization } from '../server/authorization.ts';
import { openControlPlane, type ControlPlane } from '../server/control-plane.ts';
import type { ResolverMap } from '../subgraphs/kit/index.ts';
import { composeSupergraph } from '../supergraph/compose/index.ts';
import { createGateway } from '../supergraph/gateway/index.ts';
import { APPS } from './support/authorization.ts';
import { sampleAuthorization, tempDataDir } from './support/platform.ts';

const FED = (imports: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports}])`;

const FILING = { id: 'f1', parties: [{ __typename: 'Person', id: 'p1', name: 'Li Wei', age: 41 }, { __typename: 'Enterprise', id: 'e1', name: 'Nanhu Tea', age: 12 }] };
const partyById = (id: string) => FILING.parties.find((p) => p.id === id);

// The archive also answers `filing`, but cannot resolve its parties: a plan through it is the wrong one.
const SUBGRAPHS: Record<string, { typeDefs: string; resolvers: ResolverMap }> = {
  archive: {
    typeDefs: `${FED('"@key", "@shareable", "@external"')}
      type Query { filing: Filing @shareable }
      interface Filing { id: ID! }
      interface Party { id: ID! }
      type TaxReturn implements Filing @key(fields: "id") { id: ID! parties: [Party] @shareable }
      type Person implements Party @key(fields: "id") { id: ID! @external }
      type Enterprise implements Party @key(fields: "id") { id: ID! @external }`,
    resolvers: { Query: { filing: () => { throw new Error('The registry provides the parties of a filing: ask it.'); } } },
  },
  registry: {
    typeDefs: `${FED('"@shareable", "@provides", "@external"')}
      type Query { filing: Filing @shareable @provides(fields: "parties { id name }") }
      interface Filing { id: ID! parties: [Party] }
      interface Party { id: ID! name: String }
      type TaxReturn implements Filing { id: ID! @shareable parties: [Party] @external }
      type Person implements Party { id: ID! @external name: String @external }
      type Enterprise implements Party { id: ID! @external name: String @external }`,
    resolvers: { Query: { filing: () => ({ __typename: 'TaxReturn', ...FILING }) } },
  },
  records: {
    typeDefs: `${FED('"@key", "@shareable"')}
      interface Filing { id: ID! parties: [Party] }
      interface Party { id: ID! name: String }
      type TaxReturn implements Filing @key(fields: "id") { id: ID! parties: [Party] @shareable }
      type Person implements Party @key(fields: "id") { id: ID! name: String @shareable age: Int }
      type Enterprise implements Party @key(fields: "id") { id: ID! name: String @shareable age: Int }`,
    resolvers: {
      TaxReturn: { __resolveReference: () => FILING },
      Person: { __resolveReference: (ref: { id: string }) => partyById(ref.id) },
      Enterprise: { __resolveReference: (ref: { id: string }) => partyById(ref.id) },
    },
  },
};

const LABEL = { sharing: 'UNCONDITIONAL', grade: 'GENERAL', category: 'test.open' };
const TYPES = ['Query', 'Filing', 'Party', 'TaxReturn', 'Person', 'Enterprise'];

/** A provider that runs what it is sent against its subgraph schema, unsigned calls accepted. */
async function serveSubgraph({ typeDefs, resolvers }: (typeof SUBGRAPHS)[string]): Promise<{ server: Server; url: string }> {
  const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers });
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const { query, variables, operationName } = JSON.parse(body) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    const result = await graphql({ schema, source: query, variableValues: variables ?? null, operationName: operationName ?? null });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}/graphql` };
}

const servers: Server[] = [];
const calls: string[] = [];
let authorization: OpenAuthorization;
let gateway: FastifyInstance;
let stores: ControlPlane | undefined;

beforeAll(async () => {
  const subgraphs = [];
  for (const [name, definition] of Object.entries(SUBGRAPHS)) {
    const { server, url } = await serveSubgraph(definition);
    servers.push(server);
    subgraphs.push({ name, url, sdl: definition.typeDefs });
  }
  const composed = composeSupergraph(subgraphs);
  if (!composed.ok) throw new Error(JSON.stringify(composed.problems));
  const labelOverlayFile = join(tempDataDir(), 'labels.json');
  writeFileSync(labelOverlayFile, JSON.stringify({ labels: Object.fromEntries(TYPES.map((t) => [t, LABEL])) }));
  const settings = sampleAuthorization({ labelOverlayFile, mode: 'enforce' });
  stores = await openControlPlane(settings, (error) => { throw error; });
  authorization = openAuthorization(composed.supergraphSdl, settings, stores);
  gateway = await createGateway({
    supergraphSdl: composed.supergraphSdl, defaultTimeoutMs: 5_000, healthTimeoutMs: 1_000, bodyLimitBytes: 1 << 20,
    authorization: authorization.options, onSubgraphCall: (call) => calls.push(call.subgraph),
  });
});
afterAll(async () => {
  await gateway?.close();
  authorization?.close();
  await stores?.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function ask(query: string) {
  calls.length = 0;
  const response = await gateway.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-1' },
    payload: { query },
  });
  return response.json() as { data?: unknown; errors?: unknown[] };
}

describe('fields provided through interfaces, with authorization on', () => {
  it('are read from the providing subgraph alone, and the audit trail names each party by its runtime type', async () => {
    const body = await ask('{ filing { id parties { id name } } }');
    expect(body).toEqual({ data: { filing: { id: 'f1', parties: [{ id: 'p1', name: 'Li Wei' }, { id: 'e1', name: 'Nanhu Tea' }] } } });
    expect(calls).toEqual(['registry']);
    expect(authorization.audit.recent(1)[0]?.returned).toEqual(expect.arrayContaining(['Enterprise.name', 'Person.name']));
  });

  it('continue to the owning subgraph for a field the provider does not provide', async () => {
    const body = await ask('{ filing { id parties { id name ... on Enterprise { age } } } }');
    expect(body).toEqual({ data: { filing: { id: 'f1', parties: [{ id: 'p1', name: 'Li Wei' }, { id: 'e1', name: 'Nanhu Tea', age: 12 }] } } });
    expect(calls).toEqual(['registry', 'records']);
  });
});
