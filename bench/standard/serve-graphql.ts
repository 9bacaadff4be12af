// A small GraphQL-over-HTTP server for the benchmark's own subgraphs: one loopback port, one
// path per subgraph (`/accounts/graphql`, …). Parsed and validated documents are kept per query
// text, as a production subgraph server would, so the subgraphs stay cheap next to the gateway.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { readBody, sleep } from '../kit/control-server.ts';
import type { SubgraphTraffic } from '../kit/subgraph-traffic.ts';

const DOCUMENT_CACHE_LIMIT = 1_000;

interface Route {
  name: string;
  schema: GraphQLSchema;
  documents: Map<string, DocumentNode | { errors: unknown[] }>;
}

function prepared(route: Route, query: string): DocumentNode | { errors: unknown[] } {
  let entry = route.documents.get(query);
  if (entry) return entry;
  try {
    const document = parse(query);
    const errors = validate(route.schema, document);
    entry = errors.length ? { errors: errors.map((e) => e.toJSON()) } : document;
  } catch (error) {
    entry = { errors: [{ message: (error as Error).message }] };
  }
  if (route.documents.size >= DOCUMENT_CACHE_LIMIT) route.documents.clear();
  route.documents.set(query, entry);
  return entry;
}

export async function serveSubgraphs(schemas: Record<string, GraphQLSchema>, traffic: SubgraphTraffic): Promise<{ server: Server; urls: Record<string, string> }> {
  const routes = new Map(Object.entries(schemas).map(([name, schema]) => [`/${name}/graphql`, { name, schema, documents: new Map() } as Route]));
  let base = '';
  const server = createServer(async (request, response) => {
    const route = routes.get(request.url ?? '');
    if (!route || request.method !== 'POST') {
      response.writeHead(route ? 405 : 404).end();
      return;
    }
    let params: { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
    try {
      params = JSON.parse(await readBody(request));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"body is not JSON"}]}');
      return;
    }
    traffic.record(route.name, `${base}${request.url}`, params);
    const document = prepared(route, typeof params.query === 'string' ? params.query : '');
    const result = 'errors' in document
      ? document
      : await execute({ schema: route.schema, document, variableValues: params.variables ?? null, operationName: params.operationName ?? null, contextValue: {} });
    if (traffic.latencyMs > 0) await sleep(traffic.latencyMs);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, urls: Object.fromEntries([...routes].map(([path, r]) => [r.name, `${base}${path}`])) };
}
