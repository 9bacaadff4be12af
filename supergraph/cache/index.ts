export { parseCachePolicy, readCachePolicy, ttlFor, type CachePolicy, type CacheRule } from './cache-policy.ts';
export { withCache, type CachingOptions } from './caching-executor.ts';
export { ResponseCache, type CacheEntry, type PurgeFilter } from './response-cache.ts';
