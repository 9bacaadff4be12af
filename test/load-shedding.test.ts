// Load shedding answers once, with 503 and Retry-After, whatever the request, and never sheds on a
// measurement artefact (an interval without a delay sample).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../supergraph/gateway/index.ts';
import { pressureOver } from '../supergraph/gateway/load-shedding.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

describe('the pressure decision', () => {
  const bounds = { maxHeapUsedBytes: 1_000, maxEventLoopDelayMs: 100 };
  it('does not shed on an interval without a delay sample (Infinity, NaN)', () => {
    expect(pressureOver({ eventLoopDelay: Infinity, heapUsed: 10 }, bounds)).toBeUndefined();
    expect(pressureOver({ eventLoopDelay: Number.NaN, heapUsed: 10 }, bounds)).toBeUndefined();
  });
  it('sheds past either bound, naming it', () => {
    expect(pressureOver({ eventLoopDelay: 150, heapUsed: 10 }, bounds)).toEqual({ type: 'eventLoopDelay', value: 150 });
    expect(pressureOver({ eventLoopDelay: Infinity, heapUsed: 2_000 }, bounds)).toEqual({ type: 'heapUsedBytes', value: 2_000 });
    expect(pressureOver({ eventLoopDelay: 99, heapUsed: 999 }, bounds)).toBeUndefined();
  });
});

describe('a gateway shedding load', () => {
  let platform: TestPlatform;
  const logged: string[] = [];
  let strained: Awaited<ReturnType<typeof createGateway>>;
  beforeAll(async () => {
    platform = await startTestPlatform();
    strained = await createGateway({
      supergraphSdl: platform.supergraphSdl, subgraphs: platform.subgraphs, defaultTimeoutMs: 2_000, healthTimeoutMs: 300, bodyLimitBytes: 1 << 20,
      // A bound this process is already past: every request is shed once the heap is sampled.
      pressure: { maxHeapUsedBytes: 1, maxEventLoopDelayMs: 60_000 },
      logger: { level: 'info', stream: { write: (line: string) => void logged.push(line) } },
    });
    // under-pressure samples on its own timer: wait for its first heap reading.
    while (strained.memoryUsage().heapUsed <= 1) await new Promise((resolve) => setTimeout(resolve, 25));
  });
  afterAll(async () => {
    await strained.close();
    await platform.close();
  });

  it.each([
    ['a wrong method', { method: 'PUT' as const, url: '/graphql' }],
    ['a body of the wrong media type', { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'text/plain' }, payload: '{ x }' }],
    ['an unacceptable Accept', { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'application/json', accept: 'text/html' }, payload: '{"query":"{ __typename }"}' }],
    ['no credentials and a malformed body', { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query":' }],
    ['a well-formed query', { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query":"{ __typename }"}' }],
  ])('answers %s with one 503, Retry-After and a body that says so', async (_, request) => {
    const response = await strained.inject(request);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', pressure: 'heapUsedBytes' }) })]);
    expect(logged.join('\n')).not.toContain('ERR_HTTP_HEADERS_SENT');
    expect(logged.join('\n')).not.toContain('Reply was already sent');
  });
});
