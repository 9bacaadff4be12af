// Providers verify who asks: every gateway call carries a short-lived signed assertion (app,
// department, purpose, grants, coordinates, request id); unsigned, forged, expired and replayed
// calls are refused before any resolver runs, `_service` included; each provider keeps its own
// access log and may add its own rules.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROVIDERS, startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { ASSERTION_HEADER, assertionSigner, generateCallerKey } from '../supergraph/execution/index.ts';
import { APPS, asApp } from './support/authorization.ts';
import { registryHeaders, sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, TEST_REGISTRY_KEY, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const urlOf = (name: string) => platform.providers.find((p) => p.name === name)!.url;
async function call(name: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(urlOf(name), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

type AccessEntry = Record<string, unknown> & { purpose?: string; requestId?: string; coordinates?: string[] };

/** A provider's access log entries that match, once written (the log is appended asynchronously). */
async function accessLog(provider: string, match: (entry: AccessEntry) => boolean): Promise<AccessEntry[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    let text = '';
    try {
      text = readFileSync(join(platform.dataDir, 'access', `${provider}.jsonl`), 'utf8');
    } catch {
      // not written yet
    }
    const found = text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AccessEntry).filter(match);
    if (found.length > 0) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
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
    expect((await call('tax', '{ __typename }', { [ASSERTION_HEADER]: await stranger('tax', '{ __typename }', { subject: 'x' }) })).status).toBe(401);
    expect((await call('tax', '{ __typename }', await registryHeaders('population', '{ __typename }'))).status).toBe(401);
    const expired = await new SignJWT({ coords: [] })
      .setProtectedHeader({ alg: 'EdDSA', kid: TEST_REGISTRY_KEY.publicJwk.kid! })
      .setIssuer('jointgraph-registry').setAudience('tax').setSubject('test').setJti('expired-1')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600).setExpirationTime(Math.floor(Date.now() / 1000) - 540)
      .sign(TEST_REGISTRY_KEY.privateKey);
    expect((await call('tax', '{ __typename }', { [ASSERTION_HEADER]: expired })).status).toBe(401);
    const once = await registryHeaders('tax', '{ __typename }');
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
        headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: await sign('tax', '{ __typename }', { subject: 'some-app', purpose }) },
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
  async function asGateway(coords: string[], rows: object | null, query: string, variables?: object) {
    const token = await new SignJWT({ coords, grants: ['g-1'], purpose: 'counter-service', ...(rows ? { rows } : {}) })
      .setProtectedHeader({ alg: 'EdDSA', kid: TEST_REGISTRY_KEY.publicJwk.kid! })
      .setIssuer('jointgraph-gateway').setAudience('population').setSubject('nanhu-street-office').setJti(crypto.randomUUID())
      .setIssuedAt().setExpirationTime('60s')
      .sign(TEST_REGISTRY_KEY.privateKey);
    const response = await fetch(urlOf('population'), {
      method: 'POST', headers: { 'content-type': 'application/json', [ASSERTION_HEADER]: token }, body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: { [field: string]: ({ id: string; district: string } | null)[] } };
  }

  it('keeps a district-limited list to that district in the provider’s own query', async () => {
    const rows = { district: NANHU, types: ['Person'], coordinates: ['Person.name'] };
    const listed = await asGateway(['Query.people', 'Person.name', 'Person.district'], rows, '{ people(first: 40) { id name district } }');
    expect(listed.data.people!.length).toBeGreaterThan(0);
    expect(listed.data.people!.every((p) => p!.district === NANHU)).toBe(true);
    // Asking only for what is shared without a district limit, the page spans every district.
    const everyone = await asGateway(['Query.people', 'Person.id', 'Person.district'], rows, '{ people(first: 40) { id district } }');
    expect(new Set(everyone.data.people!.map((p) => p!.district)).size).toBeGreaterThan(1);
    // A page of another district asked for under a Nanhu-limited grant is empty, not withheld record by record.
    const other = await asGateway(['Query.people', 'Person.name'], rows, '{ people(first: 5, district: "660101") { id name } }');
    expect(other.data.people).toEqual([]);
  });

  it('withholds, at the source, a limited field of a record reached by reference that lies outside the district', async () => {
    const rows = { district: NANHU, types: ['Person'], coordinates: ['Person.name'] };
    const everyone = await asGateway(['Query.people', 'Person.id', 'Person.district'], null, '{ people(first: 40) { id district } }');
    const outside = everyone.data.people!.find((p) => p!.district !== NANHU)!;
    const inside = everyone.data.people!.find((p) => p!.district === NANHU)!;
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name district } } }';
    const representations = { r: [{ __typename: 'Person', id: inside.id }, { __typename: 'Person', id: outside.id }] };
    const kept = (await asGateway(['Person.name', 'Person.district'], rows, entities, representations)) as unknown as {
      data: { _entities: ({ id: string; name: string } | null)[] }; errors?: { path: unknown[]; extensions: { code: string } }[];
    };
    expect(kept.data._entities[0]?.id).toBe(inside.id);
    expect(kept.data._entities[1]).toBeNull();
    const unscoped = (await asGateway(['Person.name'], null, entities, representations)) as unknown as { data: { _entities: { name: string }[] } };
    expect(JSON.stringify(kept)).not.toContain(unscoped.data._entities[1]!.name);
    expect(kept.errors?.[0]).toMatchObject({ path: ['_entities', 1, 'name'], extensions: { code: 'FORBIDDEN_ROW' } });
    // Asked only for what the district limit does not cover, both records come back.
    const unlimited = await asGateway(['Person.district'], rows, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id district } } }', representations);
    expect(unlimited.data._entities!.map((p) => p?.id)).toEqual([inside.id, outside.id]);
  });
});
