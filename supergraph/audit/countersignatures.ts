// The providers' countersignatures of the operator's checkpoints: collected by the gateway into
// `countersignatures.jsonl` beside the checkpoints file, and verified against each provider's
// public key and against the provider's own copies of what it countersigned. A checkpoint file
// re-signed after the fact (by whoever holds the operator's key) no longer matches the copies.

import { verify, type KeyObject } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkpointBytes, type Checkpoint } from './checkpoint.ts';

/** One round of asking the providers to countersign every checkpoint up to the newest. */
export interface CountersignRound {
  /** The newest checkpoint. */
  n: number;
  /** Providers that countersigned every checkpoint up to it. */
  countersigned: string[];
  /** Countersignatures collected in this round. */
  added: number;
  failed: { party: string; error: string }[];
}

export interface CountersignatureLine {
  n: number;
  party: string;
  signature: string;
}

export const countersignaturesFileOf = (checkpointsFile: string) => join(dirname(checkpointsFile), 'countersignatures.jsonl');

export function readCountersignatures(file: string): CountersignatureLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as CountersignatureLine);
}

export function appendCountersignature(file: string, line: CountersignatureLine): void {
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

export interface CountersignatureCheck {
  ok: boolean;
  /** Checkpoints each party countersigned and whose countersignature verifies. */
  countersigned: Record<string, number>;
  problems: { party: string; n: number; problem: 'invalid-countersignature' | 'unknown-checkpoint' | 'copy-differs' | 'copy-of-unknown-checkpoint' }[];
  /**
   * The newest checkpoint a provider's countersignature verifies over, collected here or kept in the
   * provider's own copy: the records up to the ones it names cannot be rewritten, cut or re-signed
   * without that provider's key. Records after them are covered by the operator's signature alone.
   */
  head?: Checkpoint;
}

/** What the providers countersigned: the countersignatures collected here, and each provider's own copies. */
export interface CountersignatureEvidence {
  lines: CountersignatureLine[];
  copies: ReadonlyMap<string, { n: number; signature: string; countersignature?: string }[]>;
}

/**
 * Read before the trail's checkpoints: under live countersigning, evidence read after them could
 * name a checkpoint signed since, and look like one deleted.
 */
export function readCountersignatureEvidence(countersignaturesFile: string, copies: ReadonlyMap<string, string> = new Map()): CountersignatureEvidence {
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((text) => JSON.parse(text)) : []);
  return { lines: readCountersignatures(countersignaturesFile), copies: new Map([...copies].map(([party, file]) => [party, read(file)])) };
}

export interface CountersignatureSources {
  /** The checkpoints as the trail holds them (the file beside the key, or the shared store). */
  checkpoints: readonly Checkpoint[];
  evidence: CountersignatureEvidence;
  /** Each provider's public key. */
  keys: ReadonlyMap<string, KeyObject>;
}

export function verifyCountersignatures(sources: CountersignatureSources): CountersignatureCheck {
  const byN = new Map<number, Checkpoint>(sources.checkpoints.map((c) => [c.n, c]));
  const check: CountersignatureCheck = { ok: true, countersigned: {}, problems: [] };
  const problem = (p: CountersignatureCheck['problems'][number]) => {
    check.ok = false;
    check.problems.push(p);
  };
  const vouched = (checkpoint: Checkpoint) => {
    if (!check.head || checkpoint.n > check.head.n) check.head = checkpoint;
  };
  const verifies = (checkpoint: Checkpoint, signature: string, key: KeyObject) => verify(null, checkpointBytes(checkpoint), key, Buffer.from(signature, 'base64'));
  for (const line of sources.evidence.lines) {
    const key = sources.keys.get(line.party);
    if (!key) continue;
    const checkpoint = byN.get(line.n);
    if (!checkpoint) problem({ party: line.party, n: line.n, problem: 'unknown-checkpoint' });
    else if (!verifies(checkpoint, line.signature, key)) problem({ party: line.party, n: line.n, problem: 'invalid-countersignature' });
    else {
      check.countersigned[line.party] = (check.countersigned[line.party] ?? 0) + 1;
      vouched(checkpoint);
    }
  }
  for (const [party, copies] of sources.evidence.copies) {
    const key = sources.keys.get(party);
    for (const copy of copies) {
      const checkpoint = byN.get(copy.n);
      if (!checkpoint) problem({ party, n: copy.n, problem: 'copy-of-unknown-checkpoint' });
      else if (checkpoint.signature !== copy.signature) problem({ party, n: copy.n, problem: 'copy-differs' });
      // The provider's own countersignature, kept where the operator cannot reach it: it vouches even when the collected one was deleted.
      else if (key && copy.countersignature && verifies(checkpoint, copy.countersignature, key)) vouched(checkpoint);
    }
  }
  return check;
}
