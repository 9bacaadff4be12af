// The label overlay replicas share (with stores.postgres): the overlay an operator's label editor
// loaded last, through any replica, as its JSON. Every replica serves it: the one that loaded it at
// once, the others when the change reaches them. Without PostgreSQL each gateway reads its own file.

import { openMirror, type Postgres } from '../stores/index.ts';
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

interface Row { overlay: unknown; sha256: string; loaded_by: string; loaded_at: string }

export async function openSharedOverlay(pg: Postgres): Promise<SharedOverlay> {
  let current: LoadedOverlay | undefined;
  const load = async () => {
    const [row] = await pg.query<Row>('SELECT overlay, sha256, loaded_by, loaded_at FROM label_overlay WHERE id = 1');
    current = row && { overlay: parseLabelOverlay(row.overlay, 'the shared label overlay'), sha256: row.sha256, loadedBy: row.loaded_by, loadedAt: row.loaded_at };
  };
  const mirror = await openMirror(pg, 'labels', { loadAll: load, reload: load });
  return {
    current: () => current,
    async save(json, sha256, by, at) {
      await pg.write({ store: 'labels', id: '1' }, (client) =>
        client.query(
          `INSERT INTO label_overlay (id, overlay, sha256, loaded_by, loaded_at) VALUES (1, $1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET overlay = excluded.overlay, sha256 = excluded.sha256, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
          [JSON.stringify(json), sha256, by, at],
        ));
      await mirror.written('1');
    },
    onChange: mirror.onChange,
  };
}
