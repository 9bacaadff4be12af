import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type GatewayOptions } from '../supergraph/gateway/index.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const QUERY = '{ enterprises(first: 1) { name } }';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

async function gatewayWith(options: Partial<GatewayOptions>) {
  return createGateway({ supergraphSdl: platform.supergraphSdl, subgraphs: platform.subgraphs, defaultTimeoutMs: 2_000, healthTimeoutMs: 300, bodyLimitBytes: 1 << 20, ...options });
}

function post(gateway: Awaited<ReturnType<typeof gatewayWith>>, payload: object, headers: Record<string, string> = {}) {
  return gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload });
}

describe('request ids', () => {
  it('returns the caller’s x-request-id, and a new one for a missing or unprintable id', async () => {
    const own = await post(platform.gateway, { query: QUERY }, { 'x-request-id': 'case-42/req-7' });
    expect(own.headers['x-request-id']).toBe('case-42/req-7');
    const none = await post(platform.gateway, { query: QUERY });
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const long = await post(platform.gateway, { query: QUERY }, { 'x-request-id': 'x'.repeat(129) });
    expect(long.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const notFound = await platform.gateway.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'abc' } });
    expect(notFound.headers['x-request-id']).toBe('abc');
  });
});

describe('the request log', () => {
  it('writes one JSON line per /graphql request with its id, status, duration and error codes, never a value', async () => {
    const lines: string[] = [];
    const gateway = await gatewayWith({ logger: { level: 'info', stream: { write: (line) => void lines.push(line) } } });
    try {
      await post(gateway, { query: '{ __typename }' }, { 'x-request-id': 'req-ok' });
      await post(gateway, { query: '{ enterprises(first: "SECRET-VALUE") { name } }' }, { 'x-request-id': 'req-bad' });
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === 'graphql request');
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({ requestId: 'req-ok', status: 200, errors: [], app: null, purpose: null });
      expect(entries[0]!.ms).toEqual(expect.any(Number));
      expect(entries[1]).toMatchObject({ requestId: 'req-bad', errors: ['GRAPHQL_VALIDATION_FAILED'] });
      expect(lines.join('')).not.toContain('SECRET-VALUE');
    } finally {
      await gateway.close();
    }
  });
});

describe('traces', () => {
  it('continues an incoming traceparent through the provider call spans and passes it on to the provider', async () => {
    const received: IncomingHttpHeaders[] = [];
    const provider = createServer((request, response) => {
      received.push(request.headers);
      request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"enterprises":[]}}'));
    });
    await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/graphql`;
    const exporter = new InMemorySpanExporter();
    const gateway = await gatewayWith({ subgraphs: platform.subgraphs.map((s) => (s.name === 'enterprise' ? { ...s, url } : s)), tracing: { exporter } });
    try {
      const response = await post(gateway, { query: QUERY }, { traceparent: TRACEPARENT });
      expect(response.statusCode).toBe(200);
      const spans = exporter.getFinishedSpans();
      const root = spans.find((s) => s.name === 'POST /graphql')!;
      const call = spans.find((s) => s.name === 'provider enterprise')!;
      expect(root.spanContext().traceId).toBe(TRACE_ID);
      expect(call.spanContext().traceId).toBe(TRACE_ID);
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['prune and plan', 'execute plan']));
      expect(received[0]!.traceparent).toBe(`00-${TRACE_ID}-${call.spanContext().spanId}-01`);
    } finally {
      await gateway.close();
      provider.close();
    }
  });

  it('starts a trace of its own without a traceparent, and makes no spans without an exporter', async () => {
    const exporter = new InMemorySpanExporter();
    const traced = await gatewayWith({ tracing: { exporter } });
    try {
      await post(traced, { query: QUERY });
      const ids = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));
      expect(ids.size).toBe(1);
      expect([...ids][0]).not.toBe(TRACE_ID);
    } finally {
      await traced.close();
    }
  });
});

describe('metrics', () => {
  it('counts requests by app, outcome and status, errors by code, and exports process metrics', async () => {
    await post(platform.gateway, { query: QUERY });
    await post(platform.gateway, { query: '{ enterprises(' });
    const text = (await platform.gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/jointgraph_requests_total\{app="anonymous",outcome="ok",status="200"\} \d+/);
    expect(text).toMatch(/jointgraph_errors_total\{app="anonymous",code="GRAPHQL_PARSE_FAILED"\} \d+/);
    expect(text).toMatch(/jointgraph_request_duration_seconds_bucket\{le="[\d.]+",app="anonymous",outcome="ok"\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('liveness and readiness', () => {
  it('answers /health and /ready 200 while providers answer', async () => {
    expect((await platform.gateway.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const ready = await platform.gateway.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });

  it('answers /ready 503 NOT_READY when no provider is reachable, while /health stays 200', async () => {
    const gateway = await gatewayWith({ subgraphs: platform.subgraphs.map((s) => ({ ...s, url: 'http://127.0.0.1:9/graphql' })) });
    try {
      expect((await gateway.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const ready = await gateway.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().errors[0].extensions.code).toBe('NOT_READY');
    } finally {
      await gateway.close();
    }
  });
});
