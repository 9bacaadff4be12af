// Providers verify who asks: every gateway call carries a short-lived signed assertion (app,
// department, purpose, grants, coordinates, request id); unsigned, forged, expired and replayed
// calls are refused before any resolver runs, `_service` included; each provider keeps its own
// access log and may add its own rules.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE_PROVIDERS, startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { ASSERTION_HEADER, assertionSigner, generateCallerKey } from '../supergraph/execution/index.ts';
import { APPS, asApp } from './support/authorization.ts';
import { callAsGateway, registryHeaders, sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, TEST_REGISTRY_KEY, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const urlOf = (name: string) => platform.providers.find((p) => p.name === name)!.url;
/** The call `call(name, query)` makes, as an assertion is bound to it. */
const bound = (name: string, query: string) => ({ method: 'POST', url: urlOf(name), body: JSON.stringify({ query }) });
async function call(name: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(urlOf(name), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

type AccessEntry = Record<string, unknown> & { purpose?: string; requestId?: string; coordinates?: string[] };

/**
 * A provider's access log entries that match, once written: the log is a file stream appended after
 * the answer, with no event a caller can wait on, so it is polled (within the test's own time).
 */
async function accessLog(provider: string, match: (entry: AccessEntry) => boolean): Promise<AccessEntry[]> {
  return vi.waitFor(() => {
    const file = join(platform.dataDir, 'access', `${provider}.jsonl`);
    const found = (existsSync(file) ? readFileSync(file, 'utf8') : '').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AccessEntry).filter(match);
    if (found.length === 0) throw new Error(`no matching entry in ${provider}'s access log yet`);
    return found;
  }, { timeout: 20_000, interval: 20 });
}

describe('a provider verifies who asks', () => {
  it.each([['population', 'Apollo Server'], ['tax', 'mercurius']])('%s (%s) refuses unsigned calls, `_service` included', async (name) => {
    for (const query of ['{ __typename }', '{ _service { sdl } }', '{ __schema { types { name } } }']) {
      const { status, body } = await call(name, query);
      expect(status, query).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED_CALLER');
      expect(body.data ?? null).toBeNull();
    }
  });

  it('refuses an assertion signed with a key it does not trust, one for another provider, an expired one and a replayed one', async () => {
    const stranger = assertionSigner({ key: await generateCallerKey(), issuer: 'jointgraph-gateway' });
    expect((await call('tax', '{ __typename }', { [ASSERTION_HEADER]: await stranger('tax', '{ __typename }', { subject: 'x' }, bound('tax', '{ __typename }')) })).status).toBe(401);
    expect((await call('tax', '{ __typename }', await registryHeaders('population', '{ __typename }', bound('tax', '{ __typename }')))).status).toBe(401);
    const expired = await new SignJWT({ coords: [] })
      .setProtectedHeader({ alg: 'EdDSA', kid: TEST_REGISTRY_KEY.publicJwk.kid! })
      .setIssuer('jointgraph-registry').setAudience('tax').setSubject('test').setJti('expired-1')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600).setExpirationTime(Math.floor(Date.now() / 1000) - 540)
      .sign(TEST_REGISTRY_KEY.privateKey);
    expect((await call('tax', '{ __typename }', { [ASSERTION_HEADER]: expired })).status).toBe(401);
    const once = await registryHeaders('tax', '{ __typename }', bound('tax', '{ __typename }'));
    expect((await call('tax', '{ __typename }', once)).body.data).toEqual({ __typename: 'Query' });
    const replayed = await call('tax', '{ __typename }', once);
    expect(replayed.status).toBe(401);
    expect(replayed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED_CALLER');
  });

  it('learns from each gateway call which app asked, for which purpose, under which grants, for which coordinates', async () => {
    const result = await asApp(platform, APPS.tax, 'tax-inspection/CASE-77')('{ enterprises(first: 1) { name taxCreditRating } }');
    expect(result.errors).toBeUndefined();
    const lines = await accessLog('tax', (l) => l.purpose === 'tax-inspection/CASE-77');
    const entry = lines.at(-1)!;
    expect(entry).toMatchObject({ provider: 'tax', outcome: 'accepted', issuer: 'jointgraph-gateway', subject: 'tax-inspection', department: 'Taxation Bureau', coordinates: ['Enterprise.taxCreditRating'] });
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Array.isArray(entry.grants)).toBe(true);
    // The enterprise provider was asked for the list and the names, and says so in its own log.
    const enterprise = await accessLog('enterprise', (l) => l.requestId === entry.requestId);
    expect(enterprise.at(-1)?.coordinates).toEqual(expect.arrayContaining(['Enterprise.name', 'Query.enterprises']));
  });
});

describe('a provider’s own rules on the assertion', () => {
  let tax: RunningProvider;
  beforeAll(async () => {
    tax = await startProvider(SAMPLE_PROVIDERS.find((p) => p.name === 'tax')!, {
      host: '127.0.0.1', port: 0, dataDir: tempDataDir(), city: SMALL_CITY,
      trust: { keys: { keys: [TEST_REGISTRY_KEY.publicJwk] }, rules: (a) => (a.purpose?.startsWith('debt-collection') ? 'tax data is not released for debt collection' : undefined) },
    });
  });
  afterAll(() => tax.close());

  it('refuses what its rules refuse, with 403 and its reason', async () => {
    const sign = assertionSigner({ key: TEST_REGISTRY_KEY, issuer: 'jointgraph-gateway' });
    const ask = async (purpose: string) => {
      const response = await fetch(tax.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: await sign('tax', '{ __typename }', { subject: 'some-app', purpose }, { method: 'POST', url: tax.url, body: JSON.stringify({ query: '{ __typename }' }) }) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return { status: response.status, body: await response.json() };
    };
    const refused = await ask('debt-collection/7');
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]).toMatchObject({ extensions: { code: 'CALLER_REFUSED' }, message: expect.stringContaining('debt collection') });
    expect((await ask('tax-inspection/7')).body.data).toEqual({ __typename: 'Query' });
  });
});

describe('row scope at the source', () => {
  const NANHU = '660104';
  async function asGateway(rows: { district: string; types: string[]; coordinates: string[] } | null, query: string, variables?: Record<string, unknown>) {
    const { body } = await callAsGateway('population', urlOf('population'), query, variables, { subject: 'nanhu-street-office', purpose: 'counter-service', grants: ['g-1'], rows });
    return body as unknown as { data: { [field: string]: ({ id: string; district: string } | null)[] } };
  }

  it('keeps a district-limited list to that district in the provider’s own query', async () => {
    const rows = { district: NANHU, types: ['Person'], coordinates: ['Person.name'] };
    const listed = await asGateway(rows, '{ people(first: 40) { id name district } }');
    expect(listed.data.people!.length).toBeGreaterThan(0);
    expect(listed.data.people!.every((p) => p!.district === NANHU)).toBe(true);
    // Asking only for what is shared without a district limit, the page spans every district.
    const everyone = await asGateway(rows, '{ people(first: 40) { id district } }');
    expect(new Set(everyone.data.people!.map((p) => p!.district)).size).toBeGreaterThan(1);
    // A page of another district asked for under a Nanhu-limited grant is empty, not withheld record by record.
    const other = await asGateway(rows, '{ people(first: 5, district: "660101") { id name } }');
    expect(other.data.people).toEqual([]);
  });

  it('withholds, at the source, a limited field of a record reached by reference that lies outside the district', async () => {
    const rows = { district: NANHU, types: ['Person'], coordinates: ['Person.name'] };
    const everyone = await asGateway(null, '{ people(first: 40) { id district } }');
    const outside = everyone.data.people!.find((p) => p!.district !== NANHU)!;
    const inside = everyone.data.people!.find((p) => p!.district === NANHU)!;
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name district } } }';
    const representations = { r: [{ __typename: 'Person', id: inside.id }, { __typename: 'Person', id: outside.id }] };
    const kept = (await asGateway(rows, entities, representations)) as unknown as {
      data: { _entities: ({ id: string; name: string } | null)[] }; errors?: { path: unknown[]; extensions: { code: string } }[];
    };
    expect(kept.data._entities[0]?.id).toBe(inside.id);
    expect(kept.data._entities[1]).toBeNull();
    const unscoped = (await asGateway(null, entities, representations)) as unknown as { data: { _entities: { name: string }[] } };
    expect(JSON.stringify(kept)).not.toContain(unscoped.data._entities[1]!.name);
    expect(kept.errors?.[0]).toMatchObject({ path: ['_entities', 1, 'name'], extensions: { code: 'FORBIDDEN_ROW' } });
    // Asked only for what the district limit does not cover, both records come back.
    const unlimited = await asGateway(rows, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id district } } }', representations);
    expect(unlimited.data._entities!.map((p) => p?.id)).toEqual([inside.id, outside.id]);
  });
});

describe('an assertion is bound to the call it rides on', () => {
  const QUERY = '{ __typename }';
  const sign = assertionSigner({ key: TEST_REGISTRY_KEY, issuer: 'jointgraph-gateway' });
  const signedFor = (name: string, call: { method: string; url: string; body: string }, coordinates?: string[]) =>
    sign(name, QUERY, { subject: 'some-app', purpose: 'tax-inspection/7', ...(coordinates ? { coordinates } : {}) }, call);

  it.each([['population', 'Apollo Server'], ['tax', 'mercurius']])('%s (%s) refuses a valid assertion carried with another body, method or URL', async (name) => {
    const body = JSON.stringify({ query: QUERY });
    const signed = await signedFor(name, { method: 'POST', url: urlOf(name), body });
    // Another body: the same query, and one for something else.
    for (const other of [JSON.stringify({ query: '{ _service { sdl } }' }), JSON.stringify({ query: `${QUERY} ` })]) {
      const response = await fetch(urlOf(name), { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: signed }, body: other });
      expect(response.status, other).toBe(401);
      expect((await response.json()).errors[0].message).toContain('another call');
    }
    // Another method: the same query as a GET.
    const get = await fetch(`${urlOf(name)}?query=${encodeURIComponent(QUERY)}`, { headers: { [ASSERTION_HEADER]: await signedFor(name, { method: 'POST', url: `${urlOf(name)}?query=${encodeURIComponent(QUERY)}`, body: '' }) } });
    expect(get.status).toBe(401);
    // Another URL: signed for another path of the provider, sent to its GraphQL endpoint.
    const elsewhere = await signedFor(name, { method: 'POST', url: new URL('/jointgraph/countersign', urlOf(name)).href, body });
    const moved = await fetch(urlOf(name), { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: elsewhere }, body });
    expect(moved.status).toBe(401);
    // The control: the same assertion with its own call is answered.
    const own = await fetch(urlOf(name), { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: signed }, body });
    expect(own.status).toBe(200);
  });

  it('refuses a query for coordinates the assertion does not name, even with the body bound', async () => {
    const query = '{ enterprises(first: 3) { creditCode status businessScope } }';
    const body = JSON.stringify({ query });
    const naming = (coordinates: string[]) => sign('enterprise', query, { subject: 'some-app', purpose: 'tax-inspection/7', coordinates }, { method: 'POST', url: urlOf('enterprise'), body });
    const narrow = await fetch(urlOf('enterprise'), { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: await naming(['Enterprise.name']) }, body });
    expect(narrow.status).toBe(401);
    expect((await narrow.json()).errors[0].message).toContain('Enterprise.businessScope');
    const named = await naming(['Query.enterprises', 'Enterprise.creditCode', 'Enterprise.status', 'Enterprise.businessScope']);
    const whole = await fetch(urlOf('enterprise'), { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: named }, body });
    expect(whole.status).toBe(200);
  });

  it.each([['population', 'Apollo Server'], ['tax', 'mercurius']])('%s (%s) refuses an assertion replayed after it restarts', async (name) => {
    const definition = SAMPLE_PROVIDERS.find((p) => p.name === name)!;
    const dataDir = tempDataDir();
    const accessLog = join(dataDir, 'access.jsonl');
    const start = (port: number) => startProvider(definition, { host: '127.0.0.1', port, dataDir, city: SMALL_CITY, trust: { keys: { keys: [TEST_REGISTRY_KEY.publicJwk] }, accessLog } });
    let provider = await start(0);
    const port = Number(new URL(provider.url).port);
    const body = JSON.stringify({ query: QUERY });
    const send = async (assertion: string) =>
      (await fetch(provider.url, { method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: assertion }, body })).status;
    const used = await signedFor(name, { method: 'POST', url: provider.url, body });
    expect(await send(used)).toBe(200);
    await provider.close();
    provider = await start(port);
    try {
      expect(await send(used)).toBe(401);
      expect(await send(await signedFor(name, { method: 'POST', url: provider.url, body }))).toBe(200);
    } finally {
      await provider.close();
    }
    const reasons = readFileSync(accessLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; reason?: string });
    expect(reasons.map((r) => r.reason ?? r.outcome)).toEqual(['accepted', 'replayed', 'accepted']);
  });
});
