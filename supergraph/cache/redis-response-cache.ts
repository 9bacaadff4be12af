// The response cache replicas share, on Redis: the in-process cache's scope-keyed entries, TTLs
// and purges, so that an entry written through one replica is hit through another only within the
// same authorization scope. No near cache in front of it: a purge through any replica holds for all
// at once. In-flight merging stays per replica (caching-executor.ts).

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { CacheMetrics, type CacheStats } from './cache-metrics.ts';
import type { SharedRedis } from './redis-client.ts';
import { purgeMatches, type CacheEntry, type PurgeFilter, type ResponseCache } from './response-cache.ts';

// Layout, under the key prefix: `cache:e:<sha-256 of the key>`, a hash holding the value (`v`) and
// what it is tagged with (`m`), expiring with the entry; and a tag per type (`cache:t:<Type>`) and
// per entity (`cache:k:<Type:key>`), a sorted set of the entries holding it, scored by their expiry.
// Purges read a tag, not the keyspace: a SCAN would walk the whole cache (and anything else in this
// Redis) for every purge, a tag only the entries that may match. Each write drops its tags' members
// past their expiry, by Redis's clock, so a tag holds no more than the live entries. Tags are per
// type rather than per coordinate, keeping writes small; a purge reads its candidates' tags and
// applies the in-process cache's predicate. Keys go only when they expire: run this Redis with
// `maxmemory-policy noeviction`, since an evicted tag would let a purge miss its entries. One Redis
// (with read replicas if wanted), not a Cluster: a write touches its entry and its tags at once.

/** KEYS[1]: the entry, KEYS[2…]: its tags. ARGV: TTL in ms, what it is tagged with (JSON), the value (JSON). Atomic, and a few commands per tag. */
const WRITE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'm', ARGV[2], 'v', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
for i = 2, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  redis.call('ZADD', KEYS[i], now + ttl, KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
`;

/** A purge that could not reach Redis: some matching entries may remain until it is retried. */
export class CacheUnavailableError extends Error {
  readonly code = 'CACHE_UNAVAILABLE';
}

/** What an entry is tagged with, kept beside its value for purges to test. */
type Tagged = Pick<CacheEntry, 'coordinates' | 'entityKey'>;

type CacheClient = Redis & { jointgraphCacheWrite(keys: number, ...keysAndArgs: (string | number)[]): Promise<number> };

/** A value larger than this is not shared: Redis would copy it on its one thread, and send it on every hit. */
const MAX_ENTRY_BYTES = 1_048_576;
/** Members of a tag read at once during a purge: Redis serves other clients between batches. */
const PURGE_BATCH = 200;

export interface RedisResponseCacheOptions {
  redis: SharedRedis;
  /** The policy's bound; an entry larger than it (or than MAX_ENTRY_BYTES) is not stored. */
  maxBytes: number;
  registry?: Registry;
}

export class RedisResponseCache implements ResponseCache {
  readonly #client: CacheClient;
  readonly #prefix: string;
  readonly #maxEntryBytes: number;
  readonly #metrics: CacheMetrics;

  constructor({ redis, maxBytes, registry }: RedisResponseCacheOptions) {
    redis.client.defineCommand('jointgraphCacheWrite', { lua: WRITE });
    this.#client = redis.client as CacheClient;
    this.#prefix = `${redis.keyPrefix}cache:`;
    this.#maxEntryBytes = Math.min(maxBytes, MAX_ENTRY_BYTES);
    this.#metrics = new CacheMetrics(registry);
  }

  #entryKey(key: string): string {
    return `${this.#prefix}e:${createHash('sha256').update(key).digest('base64url')}`;
  }

  #tagKey(kind: 't' | 'k', tag: string): string {
    return `${this.#prefix}${kind}:${tag}`;
  }

  async get(key: string): Promise<unknown> {
    try {
      const json = await this.#client.hget(this.#entryKey(key), 'v');
      if (json === null) {
        this.#metrics.miss();
        return undefined;
      }
      this.#metrics.hit();
      return JSON.parse(json) as unknown;
    } catch {
      this.#metrics.error();
      this.#metrics.miss();
      return undefined;
    }
  }

  async set(key: string, entry: CacheEntry, ttlSeconds: number): Promise<void> {
    const value = JSON.stringify(entry.value);
    if (Buffer.byteLength(value) > this.#maxEntryBytes) return;
    const tags = [...new Set(entry.coordinates.map((c) => c.split('.')[0]!))].map((type) => this.#tagKey('t', type));
    if (entry.entityKey) tags.push(this.#tagKey('k', entry.entityKey));
    const tagged: Tagged = { coordinates: entry.coordinates, ...(entry.entityKey ? { entityKey: entry.entityKey } : {}) };
    try {
      await this.#client.jointgraphCacheWrite(1 + tags.length, this.#entryKey(key), ...tags, Math.max(1, Math.round(ttlSeconds * 1_000)), JSON.stringify(tagged), value);
    } catch {
      this.#metrics.error();
    }
  }

  async purge(filter: PurgeFilter): Promise<number> {
    const { type, key, coordinate } = filter;
    if (!type && !key && !coordinate) return 0;
    // The narrowest tag every matching entry holds: its entity's, else its type's.
    const tag = key ? this.#tagKey('k', `${type}:${key}`) : this.#tagKey('t', type ?? coordinate!.split('.')[0]!);
    let removed = 0;
    let cursor = '0';
    try {
      do {
        const [next, flat] = await this.#client.zscan(tag, cursor, 'COUNT', PURGE_BATCH);
        cursor = next;
        const members = flat.filter((_, i) => i % 2 === 0);
        const held = await Promise.all(members.map((m) => this.#client.hget(m, 'm')));
        const doomed = members.filter((_, i) => held[i] && purgeMatches(filter, JSON.parse(held[i]!) as Tagged));
        const expired = members.filter((_, i) => !held[i]);
        if (doomed.length > 0) removed += await this.#client.unlink(...doomed);
        if (doomed.length + expired.length > 0) await this.#client.zrem(tag, ...doomed, ...expired);
      } while (cursor !== '0');
    } catch (error) {
      throw new CacheUnavailableError(`The shared cache (Redis) did not answer: ${(error as Error).message}. ${removed} entries were purged; retry the purge once Redis answers.`, { cause: error });
    }
    return removed;
  }

  stats(): CacheStats {
    return this.#metrics.stats();
  }
}
