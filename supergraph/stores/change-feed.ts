// How a replica learns of another replica's writes: PostgreSQL LISTEN/NOTIFY on one dedicated
// connection. A write announces {store, id} with pg_notify inside its own transaction, so the event
// is delivered at commit only, in commit order: none for a write rolled back, no write without one.
// Notifications are not kept for a listener that is away, so on every (re)connection each store
// reloads everything; a missed event costs a reload, never a stale grant.
// Why not NATS JetStream: it would be a second server to run and secure, and its publish could not
// be part of the store's transaction (an outbox table and a relay would be needed to get what
// NOTIFY gives by construction). Events here carry ids, not data, and a replica that missed some
// reloads from the tables anyway, so JetStream's durable replay buys nothing.

import type pg from 'pg';
import { createRequire } from 'node:module';

// Required when a PostgreSQL store opens: a gateway on SQLite does not load the driver at start.
const driver = (): typeof pg => createRequire(import.meta.url)('pg') as typeof pg;

export const CHANGES_CHANNEL = 'jointgraph_changes';

export type StoreName = 'grants' | 'apps' | 'registry' | 'objections' | 'operations' | 'labels' | 'demands' | 'notifications';

export interface Change {
  store: StoreName;
  /** The changed row's key, as the store reads it back. */
  id: string;
}

export interface ChangeSubscriber {
  /** Another replica changed this row: read it again. */
  changed(id: string): Promise<void>;
  /** Events may have been missed: read everything again. */
  reloadAll(): Promise<void>;
}

export interface ChangeFeed {
  subscribe(store: StoreName, subscriber: ChangeSubscriber): void;
  close(): Promise<void>;
}

const RETRY_MS = { first: 250, last: 2_000 };
/** A listening connection that does not answer a query within this is dropped and opened again: a silent network ends no socket. */
const HEARTBEAT = { everyMs: 5_000, timeoutMs: 2_000 };

/** Ends a connection, waiting at most a second: a connection gone silent never confirms its end. */
const ending = (connection: pg.Client) =>
  Promise.race([connection.end().catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);

/** Listens on a connection of its own; `origin` marks this process's events, already applied when its writes commit. */
export async function openChangeFeed(config: pg.ClientConfig, origin: string, onError: (error: Error) => void): Promise<ChangeFeed> {
  const subscribers = new Map<StoreName, ChangeSubscriber>();
  let client: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const deliver = (store: StoreName, read: (s: ChangeSubscriber) => Promise<void>) => {
    const subscriber = subscribers.get(store);
    // A failed read is made good by a full reload shortly after.
    if (!subscriber) return;
    read(subscriber).catch((error: Error) => {
      onError(error);
      if (!closed) setTimeout(() => deliver(store, (s) => s.reloadAll()), RETRY_MS.last).unref();
    });
  };

  async function connect(): Promise<void> {
    const next = new (driver().Client)({ ...config, query_timeout: HEARTBEAT.timeoutMs, keepAlive: true });
    next.on('error', () => undefined); // followed by 'end', which reconnects
    try {
      await next.connect();
      next.on('notification', ({ payload }) => {
        const event = JSON.parse(payload ?? '{}') as Change & { origin?: string };
        if (event.origin !== origin) deliver(event.store, (s) => s.changed(event.id));
      });
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      void ending(next);
      throw error;
    }
    next.on('end', () => drop(next));
    client = next;
  }

  /** Gives up a connection once, whether it ended or fell silent, and opens another. */
  function drop(lost: pg.Client) {
    if (client !== lost) return;
    client = undefined;
    lost.removeAllListeners('end');
    void ending(lost);
    if (!closed) reconnect(RETRY_MS.first);
  }

  function reconnect(delay: number) {
    timer = setTimeout(async () => {
      try {
        await connect();
        for (const store of subscribers.keys()) deliver(store, (s) => s.reloadAll());
      } catch (error) {
        onError(error as Error);
        if (!closed) reconnect(Math.min(delay * 2, RETRY_MS.last));
      }
    }, delay);
    timer.unref();
  }

  await connect();
  const heartbeat = setInterval(() => {
    const listening = client;
    listening?.query('SELECT 1').catch(() => drop(listening));
  }, HEARTBEAT.everyMs);
  heartbeat.unref();
  return {
    subscribe: (store, subscriber) => void subscribers.set(store, subscriber),
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      if (client) await ending(client);
    },
  };
}
