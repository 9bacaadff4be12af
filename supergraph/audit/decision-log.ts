// The decision trail: who decided what about access and data, and when — grant applications and
// their answers, revocations, objections and their answers, and the operator's files (the label
// overlay, the app registry with its keys) as loaded. A second hash chain in the audit store,
// covered by the same signed checkpoints as the access trail.

import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkEnd, checkLinks, GENESIS, linkRow, NO_LINKS, type ChainLink, type LinkCheck, type SignedLinks } from './chain.ts';

export type DecisionAction =
  | 'apply' | 'approve' | 'refuse' | 'revoke' | 'object' | 'answer-objection' | 'label-overlay' | 'app-registry'
  | 'create-app' | 'issue-key' | 'rotate-key' | 'revoke-key'
  | 'create-principal' | 'issue-principal-token' | 'remove-principal'
  | 'publish-subgraph' | 'approve-publication' | 'refuse-publication' | 'rollback-subgraph'
  | 'file-demand' | 'route-demand' | 'decline-demand' | 'commit-demand' | 'refuse-demand' | 'fulfil-demand';

export interface Decision {
  at: string;
  /** The party (`operator`, a provider) or the app that decided; `operator (file)` for the operator's files. */
  who: string;
  action: DecisionAction;
  /** The application or objection id, or the file. */
  subject: string;
  coordinates: string[];
  /** APPROVED, REFUSED, REVOKED, CONFIRMED, REJECTED; null where the action says it all. */
  decision: string | null;
  reason: string | null;
  /** JSON with what else the action names (a purpose and expiry, a file's digest). */
  detail: string | null;
}

export interface StoredDecision extends Decision {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface DecisionLog {
  append(decision: Decision): StoredDecision;
  /** Appends the file's SHA-256 unless the last record of this action already names the same digest. */
  appendFileDigest(action: 'label-overlay' | 'app-registry', file: string, at: string): StoredDecision | undefined;
  /** The newest decisions first. */
  recent(limit: number): StoredDecision[];
  head(): ChainLink;
  verify(signed?: SignedLinks): LinkCheck;
}

export const OPERATOR_FILE = 'operator (file)';

/** A file's decision detail: its SHA-256. */
export const fileDigest = (file: string) => JSON.stringify({ sha256: createHash('sha256').update(readFileSync(file)).digest('hex') });

export function decisionHash(prevHash: string, d: Decision & { seq: number }): string {
  const canonical = JSON.stringify([d.seq, d.at, d.who, d.action, d.subject, d.coordinates, d.decision, d.reason, d.detail]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

interface Row extends Omit<StoredDecision, 'coordinates' | 'prevHash'> {
  coordinates: string;
  prev_hash: string;
}

const fromRow = ({ prev_hash, coordinates, ...row }: Row): StoredDecision => ({ ...row, coordinates: JSON.parse(coordinates), prevHash: prev_hash });

/** `afterAppend` runs once a decision is durable (the audit log signs a checkpoint there). */
export function openDecisionLog(db: Database.Database, afterAppend: () => void = () => {}): DecisionLog {
  db.exec(`
    CREATE TABLE IF NOT EXISTS decision_record (
      seq INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
      coordinates TEXT NOT NULL, decision TEXT, reason TEXT, detail TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    );
  `);
  const head = linkRow(db, 'decision_head');
  const insert = db.prepare('INSERT INTO decision_record VALUES (@seq, @at, @who, @action, @subject, @coordinates, @decision, @reason, @detail, @prevHash, @hash)');
  const all = db.prepare('SELECT * FROM decision_record ORDER BY seq');
  const recent = db.prepare('SELECT * FROM decision_record ORDER BY seq DESC LIMIT ?');
  const lastOf = db.prepare('SELECT detail FROM decision_record WHERE action = ? ORDER BY seq DESC LIMIT 1');

  const write = db.transaction((decision: Decision): StoredDecision => {
    const last = head.get() ?? GENESIS;
    const seq = last.seq + 1;
    const stored = { ...decision, seq, prevHash: last.hash, hash: decisionHash(last.hash, { ...decision, seq }) };
    insert.run({ ...stored, coordinates: JSON.stringify(stored.coordinates) });
    head.set({ seq, hash: stored.hash });
    return stored;
  });
  const append = (decision: Decision) => {
    const stored = write.immediate(decision);
    afterAppend();
    return stored;
  };

  return {
    append,
    appendFileDigest(action, file, at) {
      const detail = fileDigest(file);
      if ((lastOf.get(action) as { detail: string } | undefined)?.detail === detail) return undefined;
      return append({ at, who: OPERATOR_FILE, action, subject: file, coordinates: [], decision: null, reason: null, detail });
    },
    recent: (limit) => (recent.all(limit) as Row[]).map(fromRow),
    head: () => head.get() ?? GENESIS,
    verify(signed = NO_LINKS) {
      const rows = function* () {
        for (const row of all.iterate() as Iterable<Row>) yield fromRow(row);
      };
      const check = checkLinks(rows(), GENESIS, decisionHash, signed);
      if (check.brokenAt) return check;
      const brokenAt = checkEnd(check.last, head.get(), signed, check.records === 0);
      return brokenAt ? { ...check, brokenAt } : check;
    },
  };
}
