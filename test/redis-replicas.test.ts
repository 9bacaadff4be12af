// Gateway replicas sharing one Redis: an entry cached through one is hit through another only
// within the same authorization scope, a purge through one holds for all, entries expire by the
// policy's TTL, and an app's rate is counted across replicas. With Redis unreachable, requests are
// still answered, as misses. Runs against the Redis at 127.0.0.1:6379: skipped, with the reason
// printed, where none answers; failed instead when JG_REQUIRE_SERVICES=1 (as CI runs it).

import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../supergraph/audit/index.ts';
import { parseCachePolicy, type CachePolicy, type SharedRedisOptions } from '../supergraph/cache/index.ts';
import { createGateway, type GatewayOptions } from '../supergraph/gateway/index.ts';
import { adminCall, APPS, asApp, grant } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const REQUIRED = process.env.JG_REQUIRE_SERVICES === '1';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 500, commandTimeout: 500, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ping = probe.connect().then(() => probe.ping());
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 1 s')), 1_000)));
    return (await Promise.race([ping, late])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

const available = await redisAnswers();
if (!available) console.warn(`test/redis-replicas.test.ts: no Redis answers at ${REDIS_URL}; ${REQUIRED ? 'JG_REQUIRE_SERVICES=1 makes that a failure' : 'its tests are skipped'}.`);

it.runIf(!available && REQUIRED)(`finds Redis at ${REDIS_URL}, as JG_REQUIRE_SERVICES=1 requires`, () => {
  expect.fail(`No Redis answers at ${REDIS_URL}: start it, or unset JG_REQUIRE_SERVICES to skip the shared-state tests.`);
});

/** This run's keys, apart from any other run's on the same Redis, and removed at the end. */
const KEY_PREFIX = `jointgraph-test:${randomUUID()}:`;
const SHARED: SharedRedisOptions = { url: REDIS_URL, keyPrefix: KEY_PREFIX };

const POLICY = parseCachePolicy({
  maxBytes: 8 * 1_048_576,
  defaultTtlSeconds: 300,
  coordinates: { 'Enterprise.*': { ttlSeconds: 600 }, 'Query.enterprises': { ttlSeconds: 120 } },
}) as CachePolicy;

describe.skipIf(!available)('replicas sharing one Redis', () => {
  let a: TestPlatform;
  let b: FastifyInstance;
  const replicas: FastifyInstance[] = [];
  let inspect: Redis;

  /** Another gateway in front of A's providers. */
  async function replica(options: Partial<GatewayOptions>): Promise<FastifyInstance> {
    const gateway = await createGateway({
      supergraphSdl: a.supergraphSdl, subgraphs: a.subgraphs, callerKey: a.callerKey!,
      defaultTimeoutMs: 5_000, healthTimeoutMs: 1_000, bodyLimitBytes: 1 << 20, ...options,
    });
    replicas.push(gateway);
    return gateway;
  }

  /** A's grants, as replicas share them; an audit trail of the replica's own. */
  const sharedGrants = () => ({ authorization: { ...a.authorization!.options, audit: openAuditLog(':memory:') } });

  /** The keys under a prefix, by SCAN (KEYS would hold the shared Redis while it walks every key). */
  async function keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const batch of inspect.scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]));
    return keys;
  }

  const via = (gateway: FastifyInstance, apiKey: string, purpose: string) => asApp({ gateway } as TestPlatform, apiKey, purpose);
  const providersAsked = () => a.log.dataRequests().map((e) => e.provider).sort();

  beforeAll(async () => {
    inspect = new Redis(REDIS_URL);
    a = await startTestPlatform({ authorization: sampleAuthorization(), gateway: { cachePolicy: POLICY, redis: SHARED } });
    b = await replica({ ...sharedGrants(), cachePolicy: POLICY, redis: SHARED });
  });
  afterAll(async () => {
    for (const gateway of replicas) await gateway.close();
    await a?.close();
    if (!inspect) return;
    const keys = await keysUnder(KEY_PREFIX);
    if (keys.length > 0) await inspect.unlink(...keys);
    inspect.disconnect();
  });
  beforeEach(() => a.log.clear());

  it('hits an entry written through one replica through the other, only within the same authorization scope', async () => {
    const query = '{ enterprises(first: 3, offset: 600) { name insuredEmployees } }';
    await grant(a, APPS.assistance, { coordinates: ['Enterprise.insuredEmployees'], purpose: 'assistance-review' });
    const written = await via(a.gateway, APPS.assistance, 'assistance-review')(query);
    expect(providersAsked()).toEqual(['enterprise', 'social-insurance']);
    a.log.clear();

    const hit = await via(b, APPS.assistance, 'assistance-review')(query);
    expect(providersAsked()).toEqual([]);
    expect(hit.data).toEqual(written.data);
    expect(b.jointgraph.cache!.stats().hits).toBeGreaterThan(0);

    const otherScope = await via(b, APPS.tax, 'tax-inspection')(query);
    expect(providersAsked()).toEqual(['enterprise']); // the list cached for the assistance app is not shared
    expect(otherScope.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_FIELD');
  });

  it('lets a purge through one replica hold for the other: by key, by type for the purging provider only, by coordinate', async () => {
    const query = '{ enterprises(first: 2, offset: 700) { creditCode name taxCreditRating } }';
    const ask = (gateway: FastifyInstance) => via(gateway, APPS.tax, 'tax-inspection')(query);
    const purge = async (args: string) => {
      const result = await adminCall(a, { token: 'jg-admin-tax' }, `mutation { purgeCache(${args}) { removed } }`);
      expect(result.errors).toBeUndefined();
      return (result.data!.purgeCache as { removed: number }).removed;
    };
    const codes = ((await ask(b)).data!.enterprises as { creditCode: string }[]).map((e) => e.creditCode);
    a.log.clear();
    await ask(a.gateway);
    expect(providersAsked()).toEqual([]);

    expect(await purge(`type: "Enterprise", key: "${codes[0]}"`)).toBe(1);
    await ask(b);
    expect(providersAsked()).toEqual(['tax']);
    expect(a.log.dataRequests('tax')[0]!.variables!.representations).toHaveLength(1);

    a.log.clear();
    expect(await purge('type: "Enterprise"')).toBeGreaterThanOrEqual(2);
    await ask(b);
    expect(providersAsked()).toEqual(['tax']); // Market Regulation's entries are not the tax provider's to purge

    a.log.clear();
    expect(await purge('coordinate: "Enterprise.taxCreditRating"')).toBeGreaterThanOrEqual(2);
    await ask(b);
    expect(providersAsked()).toEqual(['tax']);
  });

  it('counts an app’s requests per minute across replicas', async () => {
    const limited = { fairUse: { app: { requestsPerMinute: 4, concurrent: 8 }, address: { requestsPerMinute: 4, concurrent: 8 } }, redis: SHARED };
    const [one, two] = [await replica({ ...sharedGrants(), ...limited }), await replica({ ...sharedGrants(), ...limited })];
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await via(i % 2 === 0 ? one : two, APPS.nanhu, 'fair-use')('{ enterprises(first: 1) { name } }')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('expires an entry after the policy’s TTL, by Redis’s clock', async () => {
    const keyPrefix = `${KEY_PREFIX}ttl:`;
    const brief = { cachePolicy: parseCachePolicy({ maxBytes: 1_048_576, defaultTtlSeconds: 5 }) as CachePolicy, redis: { url: REDIS_URL, keyPrefix } };
    const [one, two] = [await replica(brief), await replica(brief)];
    const query = '{ enterprises(first: 2, offset: 800) { name } }';
    const ask = (gateway: FastifyInstance) => gateway.inject({ method: 'POST', url: '/graphql', payload: { query } });
    await ask(one);
    const entries = await keysUnder(`${keyPrefix}cache:e:`);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(await inspect.pttl(entry)).toBeLessThanOrEqual(5_000);

    // Polled with a generous deadline: how soon after 5 s the entry is gone is Redis's business.
    const deadline = Date.now() + 30_000;
    let askedAgain = false;
    while (!askedAgain && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      a.log.clear();
      await ask(two);
      askedAgain = a.log.dataRequests('enterprise').length > 0;
    }
    expect(askedAgain).toBe(true);
  }, 40_000);

  describe('with Redis unreachable or silent', () => {
    // Relays to the real Redis while `answering`; otherwise takes what it is sent and answers nothing.
    let relay: Server;
    let answering = false;
    const held = new Set<Socket>();
    beforeAll(async () => {
      relay = createServer((client) => {
        const upstream = connect(6379, '127.0.0.1');
        for (const socket of [client, upstream]) {
          held.add(socket);
          socket.on('error', () => undefined);
        }
        client.on('data', (chunk) => answering && upstream.write(chunk));
        upstream.on('data', (chunk) => answering && client.write(chunk));
        client.on('close', () => upstream.destroy());
      });
      await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      const closed = new Promise((resolve) => relay.close(resolve));
      for (const socket of held) socket.destroy();
      await closed;
    });

    const relayed = () => `redis://127.0.0.1:${(relay.address() as { port: number }).port}`;
    // One request a minute: were the rate counted, the second request would be refused.
    const withRedisAt = (url: string) => replica({ cachePolicy: POLICY, redis: { url, keyPrefix: KEY_PREFIX }, fairUse: { app: { requestsPerMinute: 1, concurrent: 8 }, address: { requestsPerMinute: 1, concurrent: 8 } } });
    const cases: [string, () => Promise<FastifyInstance>][] = [
      ['a closed port', () => withRedisAt('redis://127.0.0.1:1')],
      ['a server that never answers', async () => {
        answering = false;
        return withRedisAt(relayed());
      }],
      ['Redis falling silent once connected: each command gives up after its timeout', async () => {
        answering = true;
        const gateway = await withRedisAt(relayed());
        answering = false;
        return gateway;
      }],
    ];

    it('still answers data requests, counting each lookup as a miss and an error, and does not refuse on rate; a purge fails, to be retried', async () => {
      for (const [what, start] of cases) {
        const down = await start();
        for (let i = 0; i < 2; i++) {
          a.log.clear();
          const response = await down.inject({ method: 'POST', url: '/graphql', payload: { query: '{ enterprises(first: 2, offset: 900) { name } }' } });
          expect(response.statusCode, what).toBe(200);
          expect(response.json().data.enterprises, what).toHaveLength(2);
          expect(a.log.dataRequests('enterprise'), what).toHaveLength(1); // nothing cached: asked every time
        }
        const stats = down.jointgraph.cache!.stats();
        expect(stats.hits, what).toBe(0);
        expect(stats.misses, what).toBeGreaterThanOrEqual(2);
        expect(stats.errors, what).toBeGreaterThanOrEqual(2);
        await expect(down.jointgraph.cache!.purge({ coordinate: 'Enterprise.name' }), what).rejects.toMatchObject({ code: 'CACHE_UNAVAILABLE', message: expect.stringMatching(/retry the purge once Redis answers/) });
        const metrics = (await down.inject({ url: '/metrics' })).body;
        expect(metrics, what).toMatch(/^jointgraph_cache_errors_total [1-9]/m);
        expect(metrics, what).toMatch(/^jointgraph_cache_misses_total [1-9]/m);
      }
    });
  });

  it('answers an admin purge that cannot reach Redis with CACHE_UNAVAILABLE and a hint, not an internal error', async () => {
    const down = await startTestPlatform({ authorization: sampleAuthorization(), gateway: { cachePolicy: POLICY, redis: { url: 'redis://127.0.0.1:1', keyPrefix: KEY_PREFIX } } });
    try {
      const purged = await adminCall(down, { token: 'jg-admin-operator' }, 'mutation { purgeCache(type: "Enterprise") { removed } }');
      expect(purged.errors?.[0]?.extensions).toMatchObject({ code: 'CACHE_UNAVAILABLE', hint: expect.stringContaining('retry the purge') });
    } finally {
      await down.close();
    }
  });
});
