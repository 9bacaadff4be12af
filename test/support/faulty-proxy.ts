// A stand-in network path to a provider that can be made to fail on purpose: forward, hang
// past any timeout, answer with GraphQL errors, or answer with a non-GraphQL error page.

import { ASSERTION_HEADER } from '../../protocol/index.ts';
import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeLive, startSampleProviders } from '../../server/sample-platform.ts';
import type { RunningProvider } from '../../subgraphs/index.ts';
import { createGateway } from '../../supergraph/gateway/index.ts';
import { SMALL_CITY, tempDataDir } from './platform.ts';

export type Fault = 'none' | 'hang' | 'graphql-errors' | 'html-500';

export interface FaultyProxy {
  url: string;
  fault: Fault;
  /** Requests that reached this path (whatever it then did with them). */
  received: number;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const sockets = new Set<import('node:net').Socket>();
  const proxy: FaultyProxy = { url: '', fault: 'none', received: 0, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    proxy.received += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    switch (proxy.fault) {
      case 'hang':
        return; // never answers; the gateway's timeout must end the wait
      case 'graphql-errors':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ data: null, errors: [{ message: 'database is locked', extensions: { code: 'STORE_BUSY' } }] }));
      case 'html-500':
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body>Internal Server Error</body></html>');
      default: {
        const assertion = req.headers[ASSERTION_HEADER];
        const upstream = await fetch(target, {
          method: req.method ?? 'POST',
          headers: { 'content-type': 'application/json', ...(typeof assertion === 'string' ? { [ASSERTION_HEADER]: assertion } : {}) },
          body: Buffer.concat(chunks),
        });
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      }
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

export interface FaultyTaxPlatform {
  providers: RunningProvider[];
  taxPath: FaultyProxy;
  gateway: FastifyInstance;
  dataDir: string;
  close(): Promise<void>;
}

/** The sample providers and a plain gateway that reaches the tax bureau through a faulty path. */
export async function startWithFaultyTax(taxTimeoutMs: number): Promise<FaultyTaxPlatform> {
  const dataDir = tempDataDir();
  const providers = await startSampleProviders({ host: '127.0.0.1', subgraphBasePort: 0, dataDir, city: SMALL_CITY });
  const taxPath = await startFaultyProxy(providers.find((p) => p.name === 'tax')!.url);
  const subgraphs = providers.map((p) => (p.name === 'tax' ? { name: 'tax', url: taxPath.url, timeoutMs: taxTimeoutMs } : { name: p.name, url: p.url }));
  const gateway = await createGateway({ supergraphSdl: await composeLive(subgraphs), subgraphs, defaultTimeoutMs: 5_000, healthTimeoutMs: 300, bodyLimitBytes: 1 << 20 });
  return {
    providers,
    taxPath,
    gateway,
    dataDir,
    async close() {
      await gateway.close();
      await taxPath.close();
      await Promise.all(providers.map((p) => p.close()));
    },
  };
}
