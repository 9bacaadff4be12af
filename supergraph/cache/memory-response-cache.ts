// The gateway's own response cache: a bounded LRU (by bytes, not entries) of provider results in
// this process. The default; replicas share the Redis one instead (redis-response-cache.ts).

import { LRUCache } from 'lru-cache';
import type { Registry } from 'prom-client';
import { CacheMetrics, type CacheStats } from './cache-metrics.ts';
import { purgeMatches, type CacheEntry, type PurgeFilter, type ResponseCache } from './response-cache.ts';

export interface MemoryResponseCacheOptions {
  maxBytes: number;
  registry?: Registry;
  /** A clock for TTLs (tests); defaults to performance.now(). */
  perf?: { now(): number };
}

export class MemoryResponseCache implements ResponseCache {
  readonly #lru: LRUCache<string, CacheEntry>;
  readonly #metrics: CacheMetrics;

  constructor({ maxBytes, registry, perf }: MemoryResponseCacheOptions) {
    this.#lru = new LRUCache<string, CacheEntry>({
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => key.length + JSON.stringify(entry.value).length + 64,
      ttlAutopurge: false,
      // Every check reads the clock: lru-cache otherwise reuses one reading until a timer clears it, which
      // a busy event loop (or a test's clock) can leave stale for longer than a TTL's last milliseconds.
      ttlResolution: 0,
      ...(perf ? { perf } : {}),
    });
    this.#metrics = new CacheMetrics(registry, () => ({ entries: this.#lru.size, sizeBytes: this.#lru.calculatedSize }));
  }

  async get(key: string): Promise<unknown> {
    const entry = this.#lru.get(key);
    if (entry) this.#metrics.hit();
    else this.#metrics.miss();
    return entry?.value;
  }

  async set(key: string, entry: CacheEntry, ttlSeconds: number): Promise<void> {
    this.#lru.set(key, entry, { ttl: ttlSeconds * 1_000 });
  }

  async purge(filter: PurgeFilter): Promise<number> {
    let removed = 0;
    for (const [cacheKey, entry] of this.#lru.entries()) {
      if (purgeMatches(filter, entry)) {
        this.#lru.delete(cacheKey);
        removed++;
      }
    }
    return removed;
  }

  stats(): CacheStats {
    return this.#metrics.stats();
  }
}
