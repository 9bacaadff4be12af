import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ gateway: { bodyLimitBytes: 4_096 } });
});
afterAll(() => platform.close());

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const QUERY = '{ enterprises(first: 1) { name } }';

function post(payload: string | object, headers: Record<string, string> = {}) {
  return platform.gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('GraphQL over HTTP', () => {
  it('answers POST with application/graphql-response+json when the client accepts it', async () => {
    const response = await post({ query: QUERY });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(response.json().data.enterprises).toHaveLength(1);
  });

  it('answers legacy clients with application/json', async () => {
    for (const accept of ['application/json', '*/*', '']) {
      const response = await post({ query: QUERY }, { accept });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('answers GET queries with variables', async () => {
    const query = encodeURIComponent('query($n: Int) { enterprises(first: $n) { name } }');
    const response = await platform.gateway.inject({ url: `/graphql?query=${query}&variables=${encodeURIComponent('{"n":2}')}`, headers: { accept: GRAPHQL_RESPONSE } });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.enterprises).toHaveLength(2);
  });

  it('refuses a response type it cannot produce with 406', async () => {
    const response = await post({ query: QUERY }, { accept: 'text/html' });
    expect(response.statusCode).toBe(406);
    expect(response.json().errors[0].extensions.code).toBe('NOT_ACCEPTABLE');
  });

  it('rejects a malformed document with 400 GRAPHQL_PARSE_FAILED', async () => {
    const response = await post({ query: '{ enterprises(first: 1) { name ' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).not.toHaveProperty('data');
    expect(response.json().errors[0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', hint: expect.any(String) });
  });

  it('rejects an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await post({ query: '{ enterprises(first: 1) { nickname } }' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ message: expect.stringContaining('nickname'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('uses 200 for a rejected document when the client only accepts application/json', async () => {
    const response = await post({ query: '{ enterprises(first: 1) { nickname } }' }, { accept: 'application/json' });
    expect(response.statusCode).toBe(200);
    expect(response.json().errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects an invalid variable with 400 BAD_USER_INPUT', async () => {
    const response = await post({ query: 'query($n: Int!) { enterprises(first: $n) { name } }', variables: { n: 'ten' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a missing required variable with 400 BAD_USER_INPUT', async () => {
    const response = await post({ query: 'query($n: Int!) { enterprises(first: $n) { name } }' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a wrong content type with 415', async () => {
    const response = await post('query=1', { 'content-type': 'text/plain' });
    expect(response.statusCode).toBe(415);
    expect(response.json().errors[0].extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a body that is not JSON with 400 BAD_REQUEST', async () => {
    const response = await post('{"query": ');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('rejects a request without a query with 400 BAD_REQUEST', async () => {
    const response = await post({ variables: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('rejects an oversized body with 413', async () => {
    const response = await post({ query: `{ enterprises(first: 1) { name } } # ${'x'.repeat(5_000)}` });
    expect(response.statusCode).toBe(413);
    expect(response.json().errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets a provider’s argument check through as a coded error on its field', async () => {
    // A page past the provider's declared @pageSize is the gateway's to refuse; a negative offset is the provider's.
    expect((await post({ query: '{ enterprises(first: 20000) { name } }' })).json().errors[0].extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED', limit: 'maxPageSize' });
    const response = await post({ query: '{ enterprises(first: 5, offset: -1) { name } }' });
    expect(response.statusCode).toBe(200);
    expect(response.json().errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_ERROR', subgraph: 'enterprise', providerError: { code: 'BAD_USER_INPUT' } });
  });

  it('refuses batched requests, non-object variables and a JSON string body with 400 BAD_REQUEST', async () => {
    for (const payload of [`[${JSON.stringify({ query: QUERY })}]`, JSON.stringify({ query: QUERY, variables: [1] }), JSON.stringify({ query: 123 }), JSON.stringify(QUERY)]) {
      const response = await post(payload);
      expect(response.statusCode, payload).toBe(400);
      expect(response.json().errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('refuses a subscription with OPERATION_NOT_SUPPORTED, and a mutation over GET with 405', async () => {
    const subscription = await post({ query: 'subscription { enterprises { name } }' });
    expect(subscription.statusCode).toBe(400);
    expect(subscription.json().errors[0].extensions.code).toBe('OPERATION_NOT_SUPPORTED');
    const mutation = await platform.gateway.inject({ url: `/graphql?query=${encodeURIComponent('mutation { x }')}`, headers: { accept: GRAPHQL_RESPONSE } });
    expect(mutation.statusCode).toBe(405);
    expect(mutation.headers.allow).toBe('POST');
  });

  it('answers other methods with 405 and an Allow header, and unknown paths with a coded 404', async () => {
    const put = await platform.gateway.inject({ method: 'PUT', url: '/graphql', headers: { accept: GRAPHQL_RESPONSE } });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toContain('POST');
    expect(put.json().errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
    const missing = await platform.gateway.inject({ url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('accepts the document itself as an application/graphql body', async () => {
    const response = await post(QUERY, { 'content-type': 'application/graphql' });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.enterprises).toHaveLength(1);
  });

  it('keeps serving after all of the above', async () => {
    const response = await post({ query: QUERY });
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toBeUndefined();
  });

  it('serves GraphiQL for requesters', async () => {
    const response = await platform.gateway.inject({ url: '/graphiql' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('reserved aliases', () => {
  it('rejects a requester alias that could pass for gateway plumbing', async () => {
    const response = await post({ query: '{ enterprises(first: 1) { _jg_key_creditCode: creditCode } }' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ message: expect.stringContaining('reserved'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });
});

describe('load shedding', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After past its memory bound, while a gateway within its bound serves', async () => {
    const { createGateway } = await import('../supergraph/gateway/index.ts');
    const strained = await createGateway({
      supergraphSdl: platform.supergraphSdl, subgraphs: platform.subgraphs, defaultTimeoutMs: 2_000, healthTimeoutMs: 300, bodyLimitBytes: 1 << 20,
      // A bound this process is already past: every request is shed.
      pressure: { maxHeapUsedBytes: 1, maxEventLoopDelayMs: 60_000 },
    });
    try {
      // under-pressure samples on its own timer, with no event to wait on: poll for its first heap reading.
      while (strained.memoryUsage().heapUsed <= 1) await new Promise((resolve) => setTimeout(resolve, 25));
      const response = await strained.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: QUERY } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', pressure: 'heapUsedBytes' });
    } finally {
      await strained.close();
    }
    const normal = await post({ query: QUERY });
    expect(normal.statusCode).toBe(200);
  });
});

describe('the GraphQL-over-HTTP audit (graphql-http serverAudits)', () => {
  let authorized: TestPlatform;
  beforeAll(async () => {
    authorized = await startTestPlatform({ authorization: sampleAuthorization() });
  });
  afterAll(() => authorized.close());

  /** `fetch` as the audits call it, answered by `inject()` with `credentials` added: no port. */
  function injectingFetch(credentials: Record<string, string>) {
    return async (input: string, init?: RequestInit): Promise<Response> => {
      // A Request fills in what fetch would send, e.g. text/plain for a string body without a content type.
      const request = new Request(input, init);
      const url = new URL(request.url);
      const response = await authorized.gateway.inject({
        method: request.method as 'GET' | 'POST',
        url: url.pathname + url.search,
        headers: { ...Object.fromEntries(request.headers), ...credentials },
        ...(request.body ? { payload: Buffer.from(await request.arrayBuffer()) } : {}),
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers.set(name, String(value));
      return new Response([204, 304].includes(response.statusCode) ? null : new Uint8Array(response.rawPayload), { status: response.statusCode, headers });
    };
  }

  it('answers request errors on /admin/graphql without data, coded as on /graphql', async () => {
    const admin = (payload: string, headers: Record<string, string> = {}) =>
      authorized.gateway.inject({ method: 'POST', url: '/admin/graphql', headers: { authorization: 'Bearer jg-admin-operator', 'content-type': 'application/json', accept: GRAPHQL_RESPONSE, ...headers }, payload });
    const cases: [string, Record<string, string>, number, string][] = [
      [JSON.stringify({ query: '{ applications(' }), {}, 400, 'GRAPHQL_PARSE_FAILED'],
      [JSON.stringify({ query: '{ nothing }' }), {}, 400, 'GRAPHQL_VALIDATION_FAILED'],
      [JSON.stringify({ query: '{ nothing }' }), { accept: 'application/json' }, 200, 'GRAPHQL_VALIDATION_FAILED'],
      ['query=1', { 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['[1]', {}, 400, 'BAD_REQUEST'],
      ['"text"', {}, 400, 'BAD_REQUEST'],
      ['{"query": ', {}, 400, 'BAD_REQUEST'],
      // Not GraphQL, though mercurius would take it for a JSON-encoded AST.
      ['""', { 'content-type': 'application/graphql' }, 400, 'GRAPHQL_PARSE_FAILED'],
      [JSON.stringify({ query: JSON.stringify({ kind: 'Document', definitions: [] }) }), {}, 400, 'GRAPHQL_PARSE_FAILED'],
      // Deep documents are bounded before validation, which recurses: by nesting, then by tokens.
      [JSON.stringify({ query: `{ ${'applications { '.repeat(100)}id${' }'.repeat(100)} }` }), {}, 400, 'OPERATION_LIMIT_EXCEEDED'],
      [JSON.stringify({ query: `{ ${'applications { '.repeat(3_000)}id${' }'.repeat(3_000)} }` }), {}, 400, 'GRAPHQL_PARSE_FAILED'],
    ];
    for (const [payload, headers, status, code] of cases) {
      const response = await admin(payload, headers);
      expect({ payload, status: response.statusCode, code: response.json().errors[0].extensions.code, hasData: 'data' in response.json() }).toEqual({ payload, status, code, hasData: false });
    }
  });

  for (const [path, who, credentials] of [
    ['/graphql', 'an app', { 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection' }],
    ['/admin/graphql', 'the operator', { authorization: 'Bearer jg-admin-operator' }],
  ] as const) {
    it(`passes every MUST and SHOULD on ${path} for ${who}`, async () => {
      const audits = serverAudits({ url: `http://gateway.test${path}`, fetchFn: injectingFetch(credentials) });
      const results = await Promise.all(audits.map((audit) => audit.fn()));
      const failed = results.filter((r) => r.status !== 'ok' && !r.name.startsWith('MAY')).map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
      expect(results.length).toBeGreaterThan(40);
      expect(failed).toEqual([]);
    });
  }
});
