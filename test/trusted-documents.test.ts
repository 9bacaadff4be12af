// Trusted documents and automatic persisted queries: an app in "registered operations only" mode
// runs nothing but what it registered (checked against its grants when registered); other apps
// may send a hash in place of a document they sent once (Apollo's APQ protocol).

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminCall, APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type GraphQLBody, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());
beforeEach(() => platform.log.clear());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const LOOKUP = 'query Lookup { enterprises(first: 2) { name status } }';

async function send(apiKey: string, payload: Record<string, unknown>, accept = 'application/graphql-response+json') {
  const response = await platform.gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', accept, 'x-api-key': apiKey, 'x-jointgraph-purpose': 'public-credit-lookup' },
    payload,
  });
  return { status: response.statusCode, ...(response.json() as GraphQLBody) };
}
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('automatic persisted queries', () => {
  it('asks for the document once, then runs it from its hash alone', async () => {
    const query = '{ enterprises(first: 1) { name } }';
    const hash = sha256(query);
    const unknown = await send(APPS.tax, { extensions: persisted(hash) });
    expect(unknown.status).toBe(400);
    expect(unknown.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    // application/json clients (Apollo Client's link among them) get it inside a 200.
    expect((await send(APPS.tax, { extensions: persisted(hash) }, 'application/json')).status).toBe(200);
    const first = await send(APPS.tax, { query, extensions: persisted(hash) });
    expect(first.errors).toBeUndefined();
    const again = await send(APPS.tax, { extensions: persisted(hash) });
    expect(again).toEqual(first);
    const viaGet = await platform.gateway.inject({ method: 'GET', url: `/graphql?extensions=${encodeURIComponent(JSON.stringify(persisted(hash)))}`, headers: { 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'x' } });
    expect(viaGet.json().data).toEqual(first.data);
  });

  it('refuses a hash that is not the document’s, and a malformed one', async () => {
    const mismatch = await send(APPS.tax, { query: '{ __typename }', extensions: persisted(sha256('{ other }')) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const malformed = await send(APPS.tax, { extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } });
    expect(malformed.status).toBe(400);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});

describe('trusted documents (registered operations only)', () => {
  const register = (document: string, purpose = 'public-credit-lookup', apiKey: string = APPS.portal) =>
    adminCall(platform, { apiKey }, 'mutation($d: String!, $p: String!) { registerOperation(document: $d, purpose: $p) { hash operationName coordinates } }', { d: document, p: purpose });

  it('refuses any document the app has not registered, before asking a provider', async () => {
    const raw = await send(APPS.portal, { query: LOOKUP });
    expect(raw.status).toBe(400);
    expect(raw.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_REGISTERED');
    // Nor can it register one through the persisted-query protocol.
    const apq = await send(APPS.portal, { query: LOOKUP, extensions: persisted(sha256(LOOKUP)) });
    expect(apq.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_REGISTERED');
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('checks an operation against the app’s grants when it is registered', async () => {
    const denied = await register('{ enterprises(first: 2) { name legalRepresentative { name maritalStatus } } }');
    expect(denied.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_GRANTED');
    expect(denied.errors?.[0]?.message).toContain('Person.maritalStatus');
    expect((await register('{ nowhere }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await register('query A { __typename } query B { __typename }')).errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_FOUND');
    expect((await register(LOOKUP, '')).errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
  });

  it('runs a registered operation from its hash (persistedQuery or documentId) or its exact text', async () => {
    const registered = await register(LOOKUP);
    expect(registered.errors).toBeUndefined();
    const { hash, operationName, coordinates } = registered.data!.registerOperation as { hash: string; operationName: string; coordinates: string[] };
    expect(hash).toBe(sha256(LOOKUP));
    expect(operationName).toBe('Lookup');
    expect(coordinates).toEqual(['Enterprise.name', 'Enterprise.status', 'Query.enterprises']);
    const byHash = await send(APPS.portal, { extensions: persisted(hash) });
    expect(byHash.errors).toBeUndefined();
    expect((byHash.data!.enterprises as unknown[]).length).toBe(2);
    expect(await send(APPS.portal, { documentId: `sha256:${hash}` })).toEqual(byHash);
    expect(await send(APPS.portal, { query: LOOKUP })).toEqual(byHash);
    // A registration is the app's own: another app's hash means nothing to the portal, and vice versa.
    expect((await send(APPS.tax, { extensions: persisted(hash) })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('lets the operator, and only the operator besides the app, read what is registered', async () => {
    await register(LOOKUP);
    const operator = await adminCall(platform, { token: 'jg-admin-operator' }, '{ registeredOperations(appId: "credit-portal") { appId hash purpose } }');
    expect(operator.data!.registeredOperations).toEqual([{ appId: 'credit-portal', hash: sha256(LOOKUP), purpose: 'public-credit-lookup' }]);
    const own = await adminCall(platform, { apiKey: APPS.tax }, '{ registeredOperations { hash } }');
    expect(own.data!.registeredOperations).toEqual([]);
    const provider = await adminCall(platform, { token: 'jg-admin-tax' }, '{ registeredOperations { hash } }');
    expect(provider.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });
});
