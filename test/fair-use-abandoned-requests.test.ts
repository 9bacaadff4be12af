// A request whose client leaves before the answer gives its place back: the in-flight count of an
// app (or of a client address, authorization off) does not keep it, so a few abandoned requests do
// not shut the caller out until the gateway restarts. The client has to drop a real connection,
// which inject() cannot do: this test listens on a port.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROVIDERS, type ProviderDefinition } from '../subgraphs/index.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The enterprise provider, holding every `enterprises` list until `gate` opens. */
function heldEnterprises(gate: Promise<void>, onArrival: () => void): ProviderDefinition {
  const enterprise = SAMPLE_PROVIDERS.find((p) => p.name === 'enterprise')!;
  const { enterprises } = enterprise.resolvers.Query as { enterprises: (...args: unknown[]) => unknown };
  const held = async (...args: unknown[]) => {
    onArrival();
    await gate;
    return enterprises(...args);
  };
  return { ...enterprise, resolvers: { ...enterprise.resolvers, Query: { ...enterprise.resolvers.Query, enterprises: held } } };
}

const gate = deferred();
const bothArrived = deferred();
let arrivals = 0;
let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  const providers = SAMPLE_PROVIDERS.map((p) => (p.name === 'enterprise' ? heldEnterprises(gate.promise, () => ++arrivals === 2 && bothArrived.resolve()) : p));
  platform = await startTestPlatform({ providers, gateway: { fairUse: { app: { requestsPerMinute: 1_000, concurrent: 2 }, address: { requestsPerMinute: 1_000, concurrent: 2 } } } });
  url = `${await platform.gateway.listen({ host: '127.0.0.1', port: 0 })}/graphql`;
});
afterAll(async () => {
  gate.resolve();
  // This test's own keep-alive connections go first: the gateway's close waited on one of them past
  // the hook's minute in one run of the whole suite.
  platform.gateway.server.closeAllConnections();
  await platform.close();
});

const post = (query: string, signal?: AbortSignal) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), ...(signal ? { signal } : {}) });

describe('fair use with abandoned requests', () => {
  it('gives an abandoned request’s place back while its work is still held at a provider', async () => {
    const clients = [new AbortController(), new AbortController()];
    const abandoned = clients.map((c) => post('{ enterprises(first: 2) { name } }', c.signal).catch(() => null));
    await bothArrived.promise;
    // Both places are taken: a third request is refused.
    expect((await post('{ __typename }')).status).toBe(429);
    for (const c of clients) c.abort();
    await Promise.all(abandoned);
    // The server learns of the closed connections a moment later; the providers still hold the work.
    let status = 429;
    for (const deadline = Date.now() + 5_000; status === 429 && Date.now() < deadline; ) {
      status = (await post('{ __typename }')).status;
      if (status === 429) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(status).toBe(200);
  });
});
