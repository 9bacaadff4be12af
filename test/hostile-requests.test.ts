// A property-based run over what a careless or hostile client can send to both endpoints:
// methods, paths, content types, bodies, documents and variables. Whatever arrives, the gateway
// answers without a 5xx, every error carries a catalogued code, and a normal query still works.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../supergraph/errors/index.ts';
import { APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

/** A small fixed-seed run in `npm test`; `npm run fuzz` runs 100,000 random ones. */
const RUNS = Number(process.env.JG_FUZZ_RUNS ?? 400);
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const fragments = ['{', '}', '(', ')', 'enterprises', 'first:', '10000', 'name', '...F', 'fragment F on Enterprise', '$v', 'query', 'mutation', 'subscription', '@skip(if: true)', '__typename', '__schema { types { name } }', 'legalRepresentative', '"x"', ':', 'alias:', '#', 'person(id: $v)'];
const document = fc.oneof(
  fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(' ')),
  fc.string({ maxLength: 200 }),
  fc.constant('{ enterprises(first: 2) { name legalRepresentative { name } } }'),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  fc.record({ query: fc.oneof(document, jsonValue), variables: fc.option(jsonValue), operationName: fc.option(fc.oneof(fc.string({ maxLength: 10 }), jsonValue)) }).map((b) => JSON.stringify(b)),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  document,
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: fc.constantFrom('/graphql', '/graphql', '/admin/graphql', '/graphql?query=%7B', '/graphql?query=%7B__typename%7D&variables=%5B', '/nowhere'),
  contentType: fc.constantFrom('application/json', 'application/graphql', 'text/plain', 'application/json; charset=utf-8', ''),
  accept: fc.constantFrom('application/graphql-response+json', 'application/json', '*/*', 'text/html', ''),
  credentials: fc.constantFrom('tax', 'none', 'bad', 'admin'),
  body,
});

function headersFor(r: { contentType: string; accept: string; credentials: string }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.accept) headers.accept = r.accept;
  if (r.credentials === 'tax') Object.assign(headers, { 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/FUZZ' });
  if (r.credentials === 'bad') headers['x-api-key'] = 'not-a-key';
  if (r.credentials === 'admin') headers.authorization = 'Bearer jg-admin-operator';
  return headers;
}

describe('hostile and careless requests', () => {
  it('never get a 5xx, and every error they get carries a catalogued code', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const response = await platform.gateway.inject({
          method: r.method as 'GET',
          url: r.path,
          headers: headersFor(r),
          ...(r.method === 'GET' || r.method === 'HEAD' ? {} : { payload: r.body }),
        });
        const what = `${r.method} ${r.path} ${r.body.slice(0, 120)}`;
        expect(response.statusCode, what).toBeLessThan(500);
        // Only a 204, or the answer to HEAD, has no body; every other answer is GraphQL JSON.
        if (response.statusCode === 204 || r.method === 'HEAD') return;
        const parsed = JSON.parse(response.body) as { errors?: { extensions?: { code?: string } }[] };
        if (response.statusCode >= 400) expect(parsed.errors?.length, what).toBeGreaterThan(0);
        for (const error of parsed.errors ?? []) expect(Object.keys(ERRORS), `${what} ${JSON.stringify(error)}`).toContain(error.extensions?.code);
      }),
      { numRuns: RUNS, ...(process.env.JG_FUZZ_RUNS ? {} : { seed: 20261202 }) },
    );
  }, 30_000 + RUNS * 5);

  it('leave a normal query answering as before', async () => {
    const response = await platform.gateway.inject({
      method: 'POST', url: '/graphql', headers: headersFor({ contentType: 'application/json', accept: '', credentials: 'tax' }),
      payload: { query: '{ enterprises(first: 1) { name } }' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toBeUndefined();
  });
});
