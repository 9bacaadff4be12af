// What every store keeps in memory, so that reads stay synchronous and a data request
// reads no store: loaded at open, read again row by row after each write, this process's or
// another's, and wholly when changes may have been missed. Reads apply one at a time, in order.

import type { Database } from './database.ts';
import type { StoreName } from './change-feed.ts';
import { serially } from './serially.ts';

const RETRY_MS = 1_000;

export interface MirrorLoader {
  loadAll(): Promise<void>;
  reload(id: string): Promise<void>;
}

export interface Mirror {
  /** Moves whenever the mirror changes. */
  version(): number;
  /** Reads the row again once this replica's write has committed. */
  written(id: string): Promise<void>;
  /** Told whenever the mirror changed: a write of this replica's or another's, or a reload after reconnecting. */
  onChange(listener: () => void): void;
}

export async function openMirror(database: Database, store: StoreName, loader: MirrorLoader): Promise<Mirror> {
  const serial = serially();
  const listeners: (() => void)[] = [];
  let version = 0;
  const applied = () => {
    version++;
    for (const listener of listeners) listener();
  };
  const reload = (id: string) => serial(async () => {
    await loader.reload(id);
    applied();
  });
  const reloadAll = () => serial(async () => {
    await loader.loadAll();
    applied();
  });
  const reloadAllUntilDone = (): void =>
    void reloadAll().catch(() => setTimeout(reloadAllUntilDone, RETRY_MS).unref());
  // Subscribed before the first load: an event committed meanwhile is read again after it.
  database.feed.subscribe(store, { changed: reload, reloadAll });
  await serial(() => loader.loadAll());
  return {
    version: () => version,
    // Stored, but not read back (PostgreSQL lost just after the commit): the write stands, and
    // everything is read again once PostgreSQL answers.
    written: (id) => reload(id).catch(reloadAllUntilDone),
    onChange: (listener) => void listeners.push(listener),
  };
}
