// The gateway's response cache: a bounded LRU (by bytes, not entries) of provider results, each
// entry tagged with the coordinates, types and entity keys it holds so providers can purge it
// (each only the entries holding its own coordinates).

import { LRUCache } from 'lru-cache';
import type { ExecutionResult } from '@graphql-tools/utils';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

export interface CacheEntry {
  value: unknown;
  coordinates: readonly string[];
  /** `Type:key` of the entity an entity entry holds. */
  entityKey?: string;
}

export interface PurgeFilter {
  type?: string;
  /** With `type`: the entity's key value (e.g. a credit code). */
  key?: string;
  coordinate?: string;
  /** A provider's purge: only entries holding one of these coordinates (its own) match; absent: any entry. */
  owned?: ReadonlySet<string>;
}

export interface ResponseCacheOptions {
  maxBytes: number;
  registry?: Registry;
  /** A clock for TTLs (tests); defaults to performance.now(). */
  perf?: { now(): number };
}

export class ResponseCache {
  readonly #lru: LRUCache<string, CacheEntry>;
  readonly #inFlight = new Map<string, Promise<ExecutionResult>>();
  #hits = 0;
  #misses = 0;
  readonly #hitCounter?: Counter;
  readonly #missCounter?: Counter;

  constructor({ maxBytes, registry, perf }: ResponseCacheOptions) {
    this.#lru = new LRUCache<string, CacheEntry>({
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => key.length + JSON.stringify(entry.value).length + 64,
      ttlAutopurge: false,
      ...(perf ? { perf } : {}),
    });
    if (registry) {
      this.#hitCounter = new Counter({ name: 'jointgraph_cache_hits_total', help: 'Provider results served from the cache', registers: [registry] });
      this.#missCounter = new Counter({ name: 'jointgraph_cache_misses_total', help: 'Cacheable provider results fetched because they were not cached', registers: [registry] });
      const cache = this;
      new Gauge({ name: 'jointgraph_cache_size_bytes', help: 'Bytes held by the response cache', registers: [registry], collect() { this.set(cache.sizeBytes); } });
      new Gauge({ name: 'jointgraph_cache_entries', help: 'Entries held by the response cache', registers: [registry], collect() { this.set(cache.entries); } });
      new Gauge({ name: 'jointgraph_cache_hit_ratio', help: 'Share of cacheable lookups served from the cache', registers: [registry], collect() { this.set(cache.hitRatio); } });
    }
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.#lru.get(key);
    if (entry) {
      this.#hits++;
      this.#hitCounter?.inc();
    } else {
      this.#misses++;
      this.#missCounter?.inc();
    }
    return entry;
  }

  set(key: string, entry: CacheEntry, ttlSeconds: number): void {
    this.#lru.set(key, entry, { ttl: ttlSeconds * 1_000 });
  }

  /** Identical concurrent lookups within one scope share one provider request. */
  dedupe(key: string, fetch: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const promise = fetch().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }

  purge({ type, key, coordinate, owned }: PurgeFilter): number {
    let removed = 0;
    const mine = (c: string) => !owned || owned.has(c);
    for (const [cacheKey, entry] of this.#lru.entries()) {
      const byType = !type || entry.coordinates.some((c) => c.startsWith(`${type}.`) && mine(c));
      const byKey = !key || entry.entityKey === `${type}:${key}`;
      const byCoordinate = !coordinate || (entry.coordinates.includes(coordinate) && mine(coordinate));
      if (byType && byKey && byCoordinate && (type || key || coordinate)) {
        this.#lru.delete(cacheKey);
        removed++;
      }
    }
    return removed;
  }

  get sizeBytes(): number {
    return this.#lru.calculatedSize;
  }

  get entries(): number {
    return this.#lru.size;
  }

  get hitRatio(): number {
    return this.#hits + this.#misses === 0 ? 0 : this.#hits / (this.#hits + this.#misses);
  }

  stats() {
    return { hits: this.#hits, misses: this.#misses, entries: this.entries, sizeBytes: this.sizeBytes, hitRatio: this.hitRatio };
  }
}
