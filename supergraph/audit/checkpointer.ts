// Writing checkpoints: every so many records (from whichever thread appends), every so many
// seconds, after each decision, at close and on demand. Each is appended to the file beside the
// key and flushed, then stored in the audit store, all while holding the store's write lock, so
// the two threads that may write one never interleave. The file is the record of what was signed:
// the next checkpoint links to its last line, whatever the store holds.

import type Database from 'better-sqlite3';
import { appendCheckpoint, lastCheckpointIn, parseCheckpoint, signatureHash, signCheckpoint, type Checkpoint } from './checkpoint.ts';
import type { ChainLink } from './chain.ts';
import type { SigningKey } from './signing-key.ts';

export interface CheckpointSigning {
  key: SigningKey;
  /** The append-only file beside the key. */
  checkpointsFile: string;
  /** A checkpoint once this many access records were written since the last one. */
  everyRecords: number;
}

export interface Heads {
  access: ChainLink;
  decisions: ChainLink;
}

export interface Checkpoints {
  /** The checkpoints kept in the store, oldest first, as stored (JSON). */
  stored(): string[];
  /** The checkpoints in the store numbered after `n`, oldest first, at most `limit`. */
  after(n: number, limit: number): Checkpoint[];
  /** Access records written since the last checkpoint in the store. */
  unsealed(): number;
  /** Signs the heads unless the last checkpoint already names them; returns the last checkpoint. */
  write(): Checkpoint | undefined;
}

const same = (a: ChainLink, b: ChainLink) => a.seq === b.seq && a.hash === b.hash;

export function openCheckpoints(db: Database.Database, heads: () => Heads, signing?: CheckpointSigning): Checkpoints {
  db.exec('CREATE TABLE IF NOT EXISTS audit_checkpoint (n INTEGER PRIMARY KEY, access_seq INTEGER NOT NULL, checkpoint TEXT NOT NULL)');
  const all = db.prepare('SELECT checkpoint FROM audit_checkpoint ORDER BY n');
  const lastRow = db.prepare('SELECT access_seq, checkpoint FROM audit_checkpoint ORDER BY n DESC LIMIT 1');
  const insert = db.prepare('INSERT OR REPLACE INTO audit_checkpoint VALUES (?, ?, ?)');
  const after = db.prepare('SELECT checkpoint FROM audit_checkpoint WHERE n > ? ORDER BY n LIMIT ?');

  const write = db.transaction((): Checkpoint | undefined => {
    const { key, checkpointsFile } = signing!;
    const row = lastRow.get() as { checkpoint: string } | undefined;
    const last = lastCheckpointIn(checkpointsFile) ?? (row ? parseCheckpoint(row.checkpoint) : undefined);
    const now = heads();
    if (last && same(last.access, now.access) && same(last.decisions, now.decisions)) return last;
    const checkpoint = signCheckpoint(
      { v: 1, n: (last?.n ?? 0) + 1, at: new Date().toISOString(), key: key.id, access: now.access, decisions: now.decisions, prev: last ? signatureHash(last) : null },
      key.privateKey,
    );
    appendCheckpoint(checkpointsFile, checkpoint);
    insert.run(checkpoint.n, checkpoint.access.seq, JSON.stringify(checkpoint));
    return checkpoint;
  });

  return {
    stored: () => (all.all() as { checkpoint: string }[]).map((r) => r.checkpoint),
    after: (n, limit) => (after.all(n, limit) as { checkpoint: string }[]).flatMap((r) => parseCheckpoint(r.checkpoint) ?? []),
    unsealed: () => heads().access.seq - ((lastRow.get() as { access_seq: number } | undefined)?.access_seq ?? 0),
    write: () => (signing ? write.immediate() : undefined),
  };
}

/** Writes a checkpoint every `seconds` (when anything changed); `stop` it before the trail is closed. */
export function scheduleCheckpoints(trail: { checkpoint(): unknown }, seconds: number, onError: (error: unknown) => void): { stop(): void } {
  const timer = setInterval(() => {
    try {
      trail.checkpoint();
    } catch (error) {
      onError(error);
    }
  }, seconds * 1000).unref();
  return { stop: () => clearInterval(timer) };
}
