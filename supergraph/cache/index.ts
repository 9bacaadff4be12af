export { parseCachePolicy, readCachePolicy, ttlFor, type CachePolicy, type CacheRule } from './cache-policy.ts';
export type { CacheStats } from './cache-metrics.ts';
export { withCache, type CachingOptions } from './caching-executor.ts';
export { MemoryResponseCache } from './memory-response-cache.ts';
export { sharedRedis, type SharedRedis, type SharedRedisOptions } from './redis-client.ts';
export { CacheUnavailableError, RedisResponseCache } from './redis-response-cache.ts';
export type { CacheEntry, PurgeFilter, ResponseCache } from './response-cache.ts';
