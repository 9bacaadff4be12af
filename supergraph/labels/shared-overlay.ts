// The label overlay replicas share (with stores.postgres): the overlay an operator's label editor
// loaded last, through any replica, as its JSON. Every replica serves it: the one that loaded it at
// once, the others when the change reaches them. Without PostgreSQL each gateway reads its own file.

import { openMirror, type Database } from '../stores/index.ts';
import { parseLabelOverlay, type LabelOverlay } from './label-overlay.ts';

export interface LoadedOverlay {
  overlay: LabelOverlay;
  sha256: string;
  loadedBy: string;
  loadedAt: string;
}

export interface SharedOverlay {
  /** The overlay loaded last, or undefined before any was loaded through a replica. */
  current(): LoadedOverlay | undefined;
  /** Stores the overlay file's JSON as the one every replica serves. */
  save(json: unknown, sha256: string, by: string, at: string): Promise<void>;
  /** Told when the overlay changed, through this replica or another. */
  onChange(listener: () => void): void;
}

export async function openSharedOverlay(database: Database): Promise<SharedOverlay> {
  let current: LoadedOverlay | undefined;
  const load = async () => {
    const row = await database.read((db) => db.selectFrom('label_overlay').selectAll().where('id', '=', 1).executeTakeFirst());
    current = row && { overlay: parseLabelOverlay(JSON.parse(row.overlay), 'the shared label overlay'), sha256: row.sha256, loadedBy: row.loaded_by, loadedAt: row.loaded_at };
  };
  const mirror = await openMirror(database, 'labels', { loadAll: load, reload: load });
  return {
    current: () => current,
    async save(json, sha256, by, at) {
      const overlay = JSON.stringify(json);
      await database.write({ store: 'labels', id: '1' }, (trx) =>
        trx.insertInto('label_overlay').values({ id: 1, overlay, sha256, loaded_by: by, loaded_at: at })
          .onConflict((oc) => oc.column('id').doUpdateSet({ overlay, sha256, loaded_by: by, loaded_at: at })).execute());
      await mirror.written('1');
    },
    onChange: mirror.onChange,
  };
}
