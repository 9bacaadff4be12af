// The providers' countersignatures of the operator's checkpoints: collected by the gateway into
// `countersignatures.jsonl` beside the checkpoints file, and verified against each provider's
// public key and against the provider's own copies of what it countersigned. A checkpoint file
// re-signed after the fact (by whoever holds the operator's key) no longer matches the copies.

import { verify, type KeyObject } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkpointBytes, readCheckpointFile, type Checkpoint } from './checkpoint.ts';

/** One round of asking the providers to countersign the newest checkpoint. */
export interface CountersignRound {
  n: number;
  countersigned: string[];
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
}

export interface CountersignatureSources {
  checkpointsFile: string;
  countersignaturesFile: string;
  /** Each provider's public key. */
  keys: ReadonlyMap<string, KeyObject>;
  /** Each provider's own copies of what it countersigned (its file, read where the provider keeps it). */
  copies?: ReadonlyMap<string, string>;
}

export function verifyCountersignatures(sources: CountersignatureSources): CountersignatureCheck {
  const byN = new Map<number, Checkpoint>();
  if (existsSync(sources.checkpointsFile)) for (const c of readCheckpointFile(sources.checkpointsFile).checkpoints) byN.set(c.n, c);
  const check: CountersignatureCheck = { ok: true, countersigned: {}, problems: [] };
  const problem = (p: CountersignatureCheck['problems'][number]) => {
    check.ok = false;
    check.problems.push(p);
  };
  for (const line of readCountersignatures(sources.countersignaturesFile)) {
    const key = sources.keys.get(line.party);
    if (!key) continue;
    const checkpoint = byN.get(line.n);
    if (!checkpoint) problem({ party: line.party, n: line.n, problem: 'unknown-checkpoint' });
    else if (!verify(null, checkpointBytes(checkpoint), key, Buffer.from(line.signature, 'base64'))) problem({ party: line.party, n: line.n, problem: 'invalid-countersignature' });
    else check.countersigned[line.party] = (check.countersigned[line.party] ?? 0) + 1;
  }
  for (const [party, file] of sources.copies ?? []) {
    if (!existsSync(file)) continue;
    for (const text of readFileSync(file, 'utf8').trim().split('\n').filter(Boolean)) {
      const copy = JSON.parse(text) as { n: number; signature: string };
      const checkpoint = byN.get(copy.n);
      if (!checkpoint) problem({ party, n: copy.n, problem: 'copy-of-unknown-checkpoint' });
      else if (checkpoint.signature !== copy.signature) problem({ party, n: copy.n, problem: 'copy-differs' });
    }
  }
  return check;
}
