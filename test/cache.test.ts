import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../supergraph/config/index.ts';
import { parseCachePolicy, readCachePolicy, type CachePolicy } from '../supergraph/cache/index.ts';
import { adminCall, answer, APPS, asApp, grant } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

const POLICY = {
  maxBytes: 8 * 1_048_576,
  defaultTtlSeconds: 300,
  coordinates: { 'Enterprise.*': { ttlSeconds: 600 }, 'Query.enterprises': { ttlSeconds: 120 } },
};

let clock = 1_000_000;
const cacheClock = { now: () => clock };
let platform: TestPlatform;

async function start(policy: object = POLICY, extra: Parameters<typeof startTestPlatform>[0] = {}) {
  return startTestPlatform({ ...extra, gateway: { cachePolicy: parseCachePolicy(policy) as CachePolicy, cacheClock } });
}

function providersAsked(p: TestPlatform): string[] {
  return p.log.dataRequests().map((e) => e.provider).sort();
}

beforeAll(async () => {
  platform = await start();
});
afterAll(() => platform.close());
beforeEach(() => platform.log.clear());

const RATINGS = '{ enterprises(first: 5, offset: 100) { name taxCreditRating } }';

describe('the response cache', () => {
  it('answers a repeated request from the cache, identically', async () => {
    const first = await platform.query(RATINGS);
    expect(providersAsked(platform)).toEqual(['enterprise', 'tax']);
    platform.log.clear();
    const second = await platform.query(RATINGS);
    expect(providersAsked(platform)).toEqual([]);
    expect(second).toEqual(first);
    const metrics = (await platform.gateway.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^jointgraph_cache_hits_total [1-9]/m);
    expect(metrics).toMatch(/^jointgraph_cache_size_bytes [1-9]/m);
  });

  it('caches per entity: only the entities not yet cached are fetched', async () => {
    await platform.query('{ enterprises(first: 4, offset: 200) { creditCode taxCreditRating } }');
    platform.log.clear();
    await platform.query('{ enterprises(first: 6, offset: 200) { creditCode taxCreditRating } }');
    const [tax] = platform.log.dataRequests('tax');
    expect((tax!.variables!.representations as unknown[]).length).toBe(2);
  });

  it('expires an entry after its TTL, capped by the declared update cycle', async () => {
    await platform.query('{ enterprises(first: 2, offset: 300) { name insuredEmployees } }');
    clock += 119_000;
    platform.log.clear();
    await platform.query('{ enterprises(first: 2, offset: 300) { name insuredEmployees } }');
    expect(providersAsked(platform)).toEqual([]);
    clock += 2_000; // past Query.enterprises' 120 s
    platform.log.clear();
    await platform.query('{ enterprises(first: 2, offset: 300) { name insuredEmployees } }');
    expect(providersAsked(platform)).toEqual(['enterprise']); // insuredEmployees: 600 s, monthly cycle: still cached
  });

  it('never caches IMPORTANT or CORE data unless the policy names the coordinate', async () => {
    const query = '{ enterprises(first: 2, offset: 400) { name legalRepresentative { name } } }';
    await platform.query(query);
    platform.log.clear();
    await platform.query(query);
    expect(platform.log.dataRequests('population')).toHaveLength(1); // Person.name is IMPORTANT
    expect(platform.log.dataRequests('enterprise')).toHaveLength(1); // the list holds Person.id (CORE) references

    const permissive = await start({
      ...POLICY,
      coordinates: { ...POLICY.coordinates, 'Enterprise.legalRepresentative': { ttlSeconds: 60, allowGrade: true }, 'Person.*': { ttlSeconds: 60, allowGrade: true } },
    });
    await permissive.query(query);
    permissive.log.clear();
    await permissive.query(query);
    expect(permissive.log.dataRequests()).toEqual([]);
    await permissive.close();
  });

  it('stays within its byte bound, evicting the least recently used', async () => {
    const small = await start({ ...POLICY, maxBytes: 4_096 });
    for (let offset = 0; offset < 400; offset += 40) await small.query(`{ enterprises(first: 40, offset: ${offset}) { creditCode taxCreditRating } }`);
    const stats = small.gateway.jointgraph.cache!.stats();
    expect(stats.sizeBytes).toBeLessThanOrEqual(4_096);
    expect(stats.entries).toBeGreaterThan(0);
    small.log.clear();
    await small.query('{ enterprises(first: 40, offset: 0) { creditCode taxCreditRating } }');
    expect(small.log.dataRequests('tax')).toHaveLength(1); // the first entries were evicted
    await small.close();
  });

  it('merges identical concurrent provider requests', async () => {
    const query = '{ enterprises(first: 3, offset: 500) { taxCreditRating } }';
    await Promise.all([platform.query(query), platform.query(query), platform.query(query)]);
    expect(platform.log.dataRequests('tax')).toHaveLength(1);
  });
});

describe('the cache policy file', () => {
  it('names the file, the path in it and what was expected', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jointgraph-cache-')), 'cache-policy.json');
    writeFileSync(file, JSON.stringify({ ...POLICY, coordinates: { ...POLICY.coordinates, 'Query.enterprises': { ttlSeconds: -5 } } }));
    expect(() => readCachePolicy(file)).toThrow(ConfigError);
    expect(() => readCachePolicy(file)).toThrow(`${file}: coordinates["Query.enterprises"].ttlSeconds: expected a number of seconds, 0 or more, got -5`);
    const FILE = 'supergraph/cache-policy.json';
    expect(() => parseCachePolicy({ ...POLICY, maxBytes: 10 }, FILE)).toThrow(`${FILE}: maxBytes: expected a whole number of bytes, at least 1024, got 10`);
    expect(() => parseCachePolicy({ coordinates: { Enterprise: { ttlSeconds: 60 } } }, FILE)).toThrow(`${FILE}: coordinates.Enterprise: expected a selector Type.field or Type.*, got "Enterprise"`);
    expect(() => parseCachePolicy({ coordinates: { 'Enterprise.*': 60 } }, FILE)).toThrow(`${FILE}: coordinates["Enterprise.*"]: expected a rule {"ttlSeconds": N, "allowGrade": true}, got 60`);
  });

  it('defaults what it leaves out', () => {
    expect(parseCachePolicy({ coordinates: { 'Enterprise.*': { ttlSeconds: 60, allowGrade: true } } })).toEqual({
      maxBytes: 64 * 1_048_576,
      defaultTtlSeconds: 300,
      rules: new Map([['Enterprise.*', { ttlSeconds: 60, allowGrade: true }]]),
    });
  });
});

describe('the cache under authorization', () => {
  let secured: TestPlatform;
  beforeAll(async () => {
    secured = await start(POLICY, { authorization: sampleAuthorization() });
  });
  afterAll(() => secured.close());

  const INSURED = '{ enterprises(first: 3, offset: 600) { name insuredEmployees } }';

  it('keeps requesters with different grants apart', async () => {
    await grant(secured, APPS.assistance, { coordinates: ['Enterprise.insuredEmployees'], purpose: 'assistance-review' });
    const granted = await asApp(secured, APPS.assistance, 'assistance-review')(INSURED);
    expect((granted.data!.enterprises as { insuredEmployees: number }[])[0]!.insuredEmployees).toEqual(expect.any(Number));
    secured.log.clear();
    const other = await asApp(secured, APPS.tax, 'tax-inspection')(INSURED);
    expect((other.data!.enterprises as { insuredEmployees: null }[])[0]!.insuredEmployees).toBeNull();
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_FIELD');
    expect(providersAsked(secured)).toEqual(['enterprise']); // another scope: the cached list is not shared
  });

  it('honours a revocation on the next request even though the value is cached', async () => {
    const id = await grant(secured, APPS.nanhu, { coordinates: ['Enterprise.insuredEmployees'], purpose: 'counter-service' });
    const ask = asApp(secured, APPS.nanhu, 'counter-service');
    await ask(INSURED);
    expect((await ask(INSURED)).errors).toBeUndefined(); // served from the cache
    await answer(secured, 'operator', id, 'revoke', 'Purpose fulfilled');
    const after = await ask(INSURED);
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', coordinate: 'Enterprise.insuredEmployees' });
    expect((after.data!.enterprises as { insuredEmployees: null }[])[0]!.insuredEmployees).toBeNull();
  });

  it('lets a provider purge by coordinate, by type and key, and refuses what it does not provide', async () => {
    const ask = asApp(secured, APPS.tax, 'tax-inspection');
    const query = '{ enterprises(first: 2, offset: 700) { creditCode taxCreditRating } }';
    const codes = ((await ask(query)).data!.enterprises as { creditCode: string }[]).map((e) => e.creditCode);
    const byKey = await adminCall(secured, { token: 'jg-admin-tax' }, `mutation { purgeCache(type: "Enterprise", key: "${codes[0]}") { removed } }`);
    expect(byKey.data!.purgeCache).toEqual({ removed: 1 });
    secured.log.clear();
    await ask(query);
    expect((secured.log.dataRequests('tax')[0]!.variables!.representations as unknown[]).length).toBe(1);
    const byCoordinate = await adminCall(secured, { token: 'jg-admin-tax' }, 'mutation { purgeCache(coordinate: "Enterprise.taxCreditRating") { removed } }');
    expect((byCoordinate.data!.purgeCache as { removed: number }).removed).toBeGreaterThanOrEqual(2);
    const notTheirs = await adminCall(secured, { token: 'jg-admin-tax' }, 'mutation { purgeCache(coordinate: "Enterprise.name") { removed } }');
    expect(notTheirs.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });
});
