// A hash chain, as both trails keep it: each record names the hash of the one before, and its own
// hash covers that link and its content. Signed checkpoints (checkpoint.ts) say which hash a
// record at a seq had, so a chain recomputed after an edit no longer matches them.

import type Database from 'better-sqlite3';

import type { ChainLink } from '../../protocol/audit-checkpoint.ts';

/** A place in the chain: a record's seq and hash (seq 0 and the genesis hash before the first). */
export type { ChainLink };

export interface Linked {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS: ChainLink = Object.freeze({ seq: 0, hash: '0'.repeat(64) });

/** A one-row table holding a place in a chain: a trail's head (its last record) or base (where its archive ends). */
export function linkRow(db: Database.Database, table: string): { get(): ChainLink | undefined; set(link: ChainLink): void } {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)`);
  const get = db.prepare(`SELECT seq, hash FROM ${table} WHERE id = 1`);
  const set = db.prepare(`INSERT INTO ${table} (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`);
  return { get: () => get.get() as ChainLink | undefined, set: (link) => void set.run(link.seq, link.hash) };
}

/** What can be wrong with a chain, whichever trail it is. */
export type LinkProblem =
  | 'edited'
  | 'deleted-or-reordered'
  | 'tail-deleted'
  /** Records exist but the head row that names the last one is gone. */
  | 'head-missing'
  /** A record's hash differs from the one a signed checkpoint gives for its seq: the chain was recomputed. */
  | 'checkpoint-mismatch'
  /** The trail ends before the last record a signed checkpoint names. */
  | 'truncated'
  /** The trail holds no record, but signed checkpoints name some. */
  | 'wiped';

/** The hashes signed checkpoints give, by seq (two when checkpoints disagree), and the highest seq any names. */
export interface SignedLinks {
  bySeq: ReadonlyMap<number, ReadonlySet<string>>;
  last: number;
}

export const NO_LINKS: SignedLinks = Object.freeze({ bySeq: new Map(), last: 0 });

export interface LinkCheck {
  records: number;
  last: ChainLink;
  brokenAt?: { seq: number; problem: LinkProblem };
}

/** Checks that `records` follow `after` one by one, and agree with `signed`; stops at the first that does not. */
export function checkLinks<R extends Linked>(records: Iterable<R>, after: ChainLink, hashOf: (prevHash: string, record: R) => string, signed: SignedLinks = NO_LINKS): LinkCheck {
  let last = after;
  let count = 0;
  for (const record of records) {
    if (record.seq !== last.seq + 1 || record.prevHash !== last.hash) return { records: count, last, brokenAt: { seq: record.seq, problem: 'deleted-or-reordered' } };
    if (hashOf(last.hash, record) !== record.hash) return { records: count, last, brokenAt: { seq: record.seq, problem: 'edited' } };
    const expected = signed.bySeq.get(record.seq);
    if (expected && (expected.size > 1 || !expected.has(record.hash))) return { records: count, last, brokenAt: { seq: record.seq, problem: 'checkpoint-mismatch' } };
    last = { seq: record.seq, hash: record.hash };
    count++;
  }
  return { records: count, last };
}

/**
 * Where a chain that checked out link by link still falls short: its head row is missing or names
 * another record, or it ends before the last record a signed checkpoint names.
 */
export function checkEnd(end: ChainLink, head: ChainLink | undefined, signed: SignedLinks, empty: boolean): LinkCheck['brokenAt'] {
  if (!head && end.seq > 0) return { seq: end.seq + 1, problem: 'head-missing' };
  if (head && (head.seq !== end.seq || head.hash !== end.hash)) return { seq: end.seq + 1, problem: 'tail-deleted' };
  if (end.seq < signed.last) return { seq: end.seq + 1, problem: empty ? 'wiped' : 'truncated' };
  return undefined;
}
