// The Redis connection replicas share the response cache and the rate-limit counters through. No
// command waits for a connection (no offline queue) and each is bounded by a short timeout: with
// Redis slow or down, a cache lookup is a miss and a rate check is skipped, and no request is held up.

import type { Redis } from 'ioredis';
import { createRequire } from 'node:module';

// Required when a Redis connection is made: a gateway without Redis does not load the client at start.
const driver = (): typeof import('ioredis') => createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

export interface SharedRedisOptions {
  /** `redis://host:6379/0` (or `rediss://` for TLS). */
  url: string;
  /** Put before every key (default `jointgraph:`), so that deployments or test runs can share one Redis. */
  keyPrefix?: string;
}

export interface SharedRedis {
  client: Redis;
  keyPrefix: string;
  /** Connects, waiting at most CONNECT_TIMEOUT_MS: a gateway starts (and keeps reconnecting) while Redis is down. */
  open(log: { info(msg: string): void; warn(obj: object, msg: string): void }): Promise<void>;
  close(): void;
}

/** A Redis lookup on the same network takes well under a millisecond; past this it is a miss. */
const COMMAND_TIMEOUT_MS = 50;
const CONNECT_TIMEOUT_MS = 1_000;

export function sharedRedis({ url, keyPrefix = 'jointgraph:' }: SharedRedisOptions): SharedRedis {
  const client = new (driver().Redis)(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // The lookups of one entity batch (and its writes) leave in one round trip.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  return {
    client,
    keyPrefix,
    async open(log) {
      // One line per outage, not one per reconnection attempt; the URL may hold a password and is not logged.
      let down = false;
      client.on('error', (error: Error) => {
        if (!down) log.warn({ err: error }, 'Redis is unreachable: the response cache misses and rate limits are not counted until it is back');
        down = true;
      });
      client.on('ready', () => {
        if (down) log.info('Redis is reachable again');
        down = false;
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        client.connect().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
    },
    close() {
      client.disconnect();
    },
  };
}
