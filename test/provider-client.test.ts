import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderClient, type CircuitState } from '../supergraph/execution/index.ts';
import { startFaultyProxy, type FaultyProxy } from './support/faulty-proxy.ts';

let hanging: FaultyProxy;
beforeAll(async () => {
  hanging = await startFaultyProxy('http://127.0.0.1:9/unused');
  hanging.fault = 'hang';
});
afterAll(() => hanging.close());

describe('a provider call’s deadline', () => {
  it('holds for every call at any concurrency, the wait for a connection included', async () => {
    const client = createProviderClient({ name: 'tax', url: hanging.url, timeoutMs: 150, connections: 2 });
    try {
      hanging.received = 0;
      // 40 calls on 2 connections to a provider that never answers. Had the wait for a connection
      // not counted, each call would have been sent in turn once the one before it timed out
      // (40 requests at the provider); with it, every call's deadline passes while it waits, and
      // only the calls that got a connection are ever sent.
      const results = await Promise.all(Array.from({ length: 40 }, () => client({ query: '{ __typename }', context: undefined })));
      for (const result of results) expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', subgraph: 'tax' });
      expect(hanging.received).toBeLessThanOrEqual(4);
    } finally {
      await client.close();
    }
  });

  it('reports a provider that refuses connections as unavailable, not as a timeout', async () => {
    const client = createProviderClient({ name: 'tax', url: 'http://127.0.0.1:9/graphql', timeoutMs: 2_000, connections: 2 });
    try {
      const result = await client({ query: '{ __typename }', context: undefined });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'tax' });
    } finally {
      await client.close();
    }
  });
});

describe('a provider’s circuit breaker', () => {
  it('opens after repeated failures, answers SUBGRAPH_CIRCUIT_OPEN without calling, and closes after a good probe', async () => {
    const forwarding = await startFaultyProxy('http://127.0.0.1:9/unused');
    forwarding.fault = 'html-500';
    const states: CircuitState[] = [];
    let halfOpen!: () => void;
    const halfOpened = new Promise<void>((resolve) => (halfOpen = resolve));
    const client = createProviderClient({
      name: 'tax', url: forwarding.url, timeoutMs: 1_000, connections: 2,
      breaker: { errorPercentage: 50, volumeThreshold: 4, resetMs: 200, windowMs: 10_000, stallMs: 1_000 },
      onCircuit: (_, state) => {
        states.push(state);
        if (state === 'half-open') halfOpen();
      },
    });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await client({ query: '{ __typename }', context: undefined })).errors?.[0]?.extensions?.code);
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('SUBGRAPH_BAD_RESPONSE'));
      expect(codes.slice(4)).toEqual(['SUBGRAPH_CIRCUIT_OPEN', 'SUBGRAPH_CIRCUIT_OPEN']);
      expect(states).toEqual(['open']);
      forwarding.fault = 'graphql-errors'; // a GraphQL answer: the provider is reachable again
      await halfOpened; // resetMs after it opened
      const probe = await client({ query: '{ __typename }', context: undefined });
      expect(probe.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_ERROR');
      expect(states).toEqual(['open', 'half-open', 'closed']);
    } finally {
      await client.close();
      await forwarding.close();
    }
  });
});

describe('a frozen provider', () => {
  it('opens the circuit once it has answered nothing for stallMs while calls wait, not after their full deadlines', async () => {
    let now = 0;
    const states: CircuitState[] = [];
    const client = createProviderClient({
      name: 'tax', url: hanging.url, timeoutMs: 1_500, connections: 50,
      breaker: { errorPercentage: 50, volumeThreshold: 10, resetMs: 60_000, windowMs: 10_000, stallMs: 1_000 },
      onCircuit: (_, state) => states.push(state),
      clock: () => now,
    });
    try {
      hanging.received = 0;
      for (let i = 0; i < 20; i++) void client({ query: '{ __typename }', context: undefined });
      while (hanging.received < 20) await new Promise((r) => setImmediate(r));
      // Within the stall bound the provider is given its time: a call still goes to it.
      now = 900;
      void client({ query: '{ __typename }', context: undefined });
      while (hanging.received < 21) await new Promise((r) => setImmediate(r));
      expect(states).toEqual([]);
      // Past it, with every call still waiting: frozen. The next call is answered at once.
      now = 1_001;
      const next = await client({ query: '{ __typename }', context: undefined });
      expect(next.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_CIRCUIT_OPEN');
      expect(states).toEqual(['open']);
      expect(hanging.received).toBe(21);
    } finally {
      await client.close();
    }
  });
});

describe('retries and answer size', () => {
  /** A provider whose first `drop` connections are closed before any answer. */
  async function droppingProvider(drop: number, answer: string) {
    const server = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    let seen = 0;
    server.on('connection', (socket) => {
      seen += 1;
      if (seen <= drop) socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/graphql`, connections: () => seen, close: () => new Promise((r) => server.close(r)) };
  }

  it('sends a query again once when its connection is dropped, within the deadline', async () => {
    const provider = await droppingProvider(1, '{"data":{"__typename":"Query"}}');
    const retried: string[] = [];
    const client = createProviderClient({ name: 'tax', url: provider.url, timeoutMs: 2_000, connections: 1, onRetry: (s) => retried.push(s) });
    try {
      const result = await client({ query: '{ __typename }', context: undefined });
      expect(result).toEqual({ data: { __typename: 'Query' } });
      expect(retried).toEqual(['tax']);
      expect(provider.connections()).toBe(2);
    } finally {
      await client.close();
      await provider.close();
    }
  });

  it('stops retrying when the budget is spent', async () => {
    const retried: string[] = [];
    // One retry per 10 s window, whatever the calls: the second and third failures are not retried.
    const client = createProviderClient({
      name: 'tax', url: 'http://127.0.0.1:9/graphql', timeoutMs: 2_000, connections: 1,
      retryBudget: { ratio: 0, minPerSecond: 0.1, windowMs: 10_000 }, onRetry: (s) => retried.push(s),
    });
    try {
      for (let i = 0; i < 3; i++) expect((await client({ query: '{ __typename }', context: undefined })).errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
      expect(retried).toEqual(['tax']);
    } finally {
      await client.close();
    }
  });

  it('cuts off an answer larger than the bound and says so', async () => {
    const provider = await droppingProvider(0, JSON.stringify({ data: { names: Array.from({ length: 2_000 }, (_, i) => `name-${i}`) } }));
    const client = createProviderClient({ name: 'tax', url: provider.url, timeoutMs: 2_000, connections: 1, maxResponseBytes: 4_096 });
    try {
      const result = await client({ query: '{ names }', context: undefined });
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_RESPONSE_TOO_LARGE', subgraph: 'tax', maxBytes: 4_096 });
    } finally {
      await client.close();
      await provider.close();
    }
  });
});
