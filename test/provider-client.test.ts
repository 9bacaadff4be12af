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
    const timeoutMs = 150;
    const client = createProviderClient({ name: 'tax', url: hanging.url, timeoutMs, connections: 2 });
    try {
      const started = performance.now();
      // 40 calls on 2 connections to a provider that never answers: without a deadline that
      // counts the queue, the last would wait for 20 timeouts in turn (3 s); with it, about one.
      const results = await Promise.all(Array.from({ length: 40 }, () => client({ query: '{ __typename }', context: undefined })));
      const elapsed = performance.now() - started;
      for (const result of results) expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_TIMEOUT', subgraph: 'tax' });
      expect(elapsed).toBeLessThan(timeoutMs * 10);
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
    const client = createProviderClient({
      name: 'tax', url: forwarding.url, timeoutMs: 1_000, connections: 2,
      breaker: { errorPercentage: 50, volumeThreshold: 4, resetMs: 200, windowMs: 10_000 },
      onCircuit: (_, state) => states.push(state),
    });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await client({ query: '{ __typename }', context: undefined })).errors?.[0]?.extensions?.code);
      expect(codes.slice(0, 4)).toEqual(Array(4).fill('SUBGRAPH_BAD_RESPONSE'));
      expect(codes.slice(4)).toEqual(['SUBGRAPH_CIRCUIT_OPEN', 'SUBGRAPH_CIRCUIT_OPEN']);
      expect(states).toEqual(['open']);
      forwarding.fault = 'graphql-errors'; // a GraphQL answer: the provider is reachable again
      await new Promise((r) => setTimeout(r, 250));
      const probe = await client({ query: '{ __typename }', context: undefined });
      expect(probe.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_ERROR');
      expect(states).toEqual(['open', 'half-open', 'closed']);
    } finally {
      await client.close();
      await forwarding.close();
    }
  });
});
