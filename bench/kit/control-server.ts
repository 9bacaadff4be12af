// The control endpoint of a subgraph process, on its own loopback port so that no subgraph's
// routes change: GET /__stats (counts), POST /__latency {ms}, POST /__capture/start|stop.

import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SubgraphTraffic } from './subgraph-traffic.ts';

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startControlServer(traffic: SubgraphTraffic): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const route = `${request.method} ${request.url}`;
    if (route === 'GET /__stats') return send(200, traffic.snapshot());
    if (route === 'POST /__latency') {
      const ms = Number((JSON.parse((await readBody(request)) || '{}') as { ms?: unknown }).ms);
      if (!Number.isInteger(ms) || ms < 0 || ms > 10_000) return send(400, { error: 'ms must be a whole number from 0 to 10000' });
      traffic.latencyMs = ms;
      return send(200, traffic.snapshot());
    }
    if (route === 'POST /__capture/start') {
      traffic.startCapture();
      return send(200, {});
    }
    if (route === 'POST /__capture/stop') return send(200, traffic.stopCapture());
    send(404, { error: `no route ${route}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
