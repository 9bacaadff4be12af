// What the signed checkpoints vouch for: the hash each trail's record had at the seqs they name.
// Only checkpoints whose signature verifies count; one that does not, and a line missing from the
// checkpoints file (each line links to the one before), are problems of their own.

import { checkSignatures, parseCheckpoint, signatureHash, type Checkpoint, type CheckpointFile, type CheckpointKeys } from './checkpoint.ts';
import type { SignedLinks } from './chain.ts';

export type CheckpointProblem = 'checkpoint-invalid' | 'checkpoint-missing';

export interface SignedHeads {
  access: SignedLinks;
  decisions: SignedLinks;
  /** Checkpoints whose signatures verify. */
  count: number;
  /** The newest of them. */
  last?: Checkpoint;
  /** Parties that countersigned, whose key was not given to check it. */
  unverified: string[];
  /** The first checkpoint that does not verify, or that follows a missing one, by the access seq it names. */
  brokenAt?: { seq: number; problem: CheckpointProblem };
}

export interface CheckpointSources {
  /** The checkpoints file beside the key, in file order. */
  file?: CheckpointFile;
  /** The copies kept in the audit store (JSON). */
  stored?: readonly string[];
  /** A checkpoint exported for verification elsewhere. */
  exported?: Checkpoint;
}

function links(checkpoints: readonly Checkpoint[], of: (c: Checkpoint) => { seq: number; hash: string }): SignedLinks {
  const bySeq = new Map<number, Set<string>>();
  let last = 0;
  for (const c of checkpoints) {
    const { seq, hash } = of(c);
    if (seq === 0) continue;
    (bySeq.get(seq) ?? bySeq.set(seq, new Set()).get(seq)!).add(hash);
    last = Math.max(last, seq);
  }
  return { bySeq, last };
}

export function signedHeads({ file, stored = [], exported }: CheckpointSources, keys: CheckpointKeys): SignedHeads {
  let brokenAt: SignedHeads['brokenAt'];
  const broken = (seq: number, problem: CheckpointProblem) => void (brokenAt ??= { seq, problem });
  const fromFile = file?.checkpoints ?? [];
  if (file?.badLines.length) broken(0, 'checkpoint-invalid');
  fromFile.forEach((c, i) => {
    const before = fromFile[i - 1];
    if (before && (c.n !== before.n + 1 || c.prev !== signatureHash(before))) broken(c.access.seq, 'checkpoint-missing');
  });
  const parsed = stored.map(parseCheckpoint);
  if (parsed.includes(undefined)) broken(0, 'checkpoint-invalid');
  // The same checkpoint from several places is checked once; a copy that differs is checked on its own.
  const distinct = new Map<string, Checkpoint>();
  for (const c of [...fromFile, ...parsed, exported]) if (c) distinct.set(JSON.stringify(c), c);

  const valid: Checkpoint[] = [];
  const unverified = new Set<string>();
  for (const c of distinct.values()) {
    const check = checkSignatures(c, keys);
    if (!check.ok) broken(c.access.seq, 'checkpoint-invalid');
    else valid.push(c);
    check.unverified.forEach((party) => unverified.add(party));
  }
  const last = valid.reduce<Checkpoint | undefined>((newest, c) => (!newest || c.n > newest.n ? c : newest), undefined);
  return {
    access: links(valid, (c) => c.access),
    decisions: links(valid, (c) => c.decisions),
    count: valid.length,
    ...(last ? { last } : {}),
    unverified: [...unverified].sort(),
    ...(brokenAt ? { brokenAt } : {}),
  };
}
