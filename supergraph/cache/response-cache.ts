// What the gateway asks of a response cache, in-process (memory-response-cache.ts) or shared by
// replicas (redis-response-cache.ts): provider results under scope-keyed keys, each entry tagged
// with the coordinates, types and entity keys it holds so that providers can purge it (each only
// the entries holding its own coordinates). Both stores purge by the same predicate.

import type { CacheStats } from './cache-metrics.ts';

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

/** A store that fails never fails the request: a lookup it cannot answer is a miss, a write it cannot make is skipped. */
export interface ResponseCache {
  /** The cached value, or undefined. */
  get(key: string): Promise<unknown>;
  set(key: string, entry: CacheEntry, ttlSeconds: number): Promise<void>;
  /** The number of entries removed; rejects when a shared store cannot be reached, so that the purge is retried. */
  purge(filter: PurgeFilter): Promise<number>;
  stats(): CacheStats;
}

/** Whether a purge removes an entry: every named part must match, and at least one must be named. */
export function purgeMatches({ type, key, coordinate, owned }: PurgeFilter, entry: Pick<CacheEntry, 'coordinates' | 'entityKey'>): boolean {
  const mine = (c: string) => !owned || owned.has(c);
  const byType = !type || entry.coordinates.some((c) => c.startsWith(`${type}.`) && mine(c));
  const byKey = !key || entry.entityKey === `${type}:${key}`;
  const byCoordinate = !coordinate || (entry.coordinates.includes(coordinate) && mine(coordinate));
  return byType && byKey && byCoordinate && Boolean(type || key || coordinate);
}
