// Joint operation of the audit trail: a provider countersigns the operator's signed checkpoints
// with its own key and keeps its own copy of each one it countersigned. It countersigns every
// checkpoint once, in order: asked to countersign another checkpoint under a number it already
// countersigned, one that skips a number, or one that does not follow the last it countersigned,
// it refuses. So the operator alone cannot re-sign a rewritten history and have it countersigned,
// and the provider's copies disagree with any checkpoint file rewritten after the fact.

import { sign } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkpointBytes, openSigningKey, parseCheckpoint, signatureHash, type Checkpoint, type SigningKey } from '../../protocol/index.ts';

export interface CountersignOptions {
  /** The provider's own Ed25519 key (PEM), created with its public half on first use. */
  keyFile: string;
  /** The provider's copies of what it countersigned (JSON lines). */
  copies: string;
}

/** One line of a provider's copies. */
export interface CountersignedCopy {
  n: number;
  at: string;
  /** The operator's signature it countersigned. */
  signature: string;
  countersignature: string;
}

export type CountersignResult = { ok: true; party: string; signature: string } | { ok: false; status: 400 | 409; code: string; message: string };

function readCopies(file: string): CountersignedCopy[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as CountersignedCopy);
}

export function countersigner(party: string, options: CountersignOptions) {
  const { key }: { key: SigningKey } = openSigningKey(options.keyFile);
  mkdirSync(dirname(options.copies), { recursive: true });
  let last = readCopies(options.copies).at(-1);
  const conflict = (message: string): CountersignResult => ({ ok: false, status: 409, code: 'CHECKPOINT_CONFLICT', message });

  return function countersign(body: unknown): CountersignResult {
    const checkpoint: Checkpoint | undefined = parseCheckpoint(JSON.stringify((body as { checkpoint?: unknown } | null)?.checkpoint ?? null));
    if (!checkpoint) return { ok: false, status: 400, code: 'CHECKPOINT_INVALID', message: 'Send {"checkpoint": <a signed audit checkpoint>}.' };
    if (last && checkpoint.n <= last.n) {
      // Asked again (the gateway lost the answer): the same checkpoint gets the same countersignature.
      const copy = checkpoint.n === last.n ? last : readCopies(options.copies).find((c) => c.n === checkpoint.n);
      if (copy?.signature === checkpoint.signature) return { ok: true, party, signature: copy.countersignature };
      return conflict(copy
        ? `${party} already countersigned checkpoint ${checkpoint.n} with another signature; it countersigns each number once, in order.`
        : `${party} never countersigned checkpoint ${checkpoint.n}, and countersigns only after its last (${last.n}), in order.`);
    }
    // Every checkpoint, each linked to the one before: none skipped, so none is the operator's word alone.
    if (last && checkpoint.n !== last.n + 1) return conflict(`${party} countersigned up to checkpoint ${last.n}: send the checkpoints from ${last.n + 1} on, in order, with ${checkpoint.n}.`);
    if (last && checkpoint.prev !== signatureHash({ ...checkpoint, signature: last.signature })) {
      return conflict(`Checkpoint ${checkpoint.n} does not follow checkpoint ${last.n} that ${party} countersigned.`);
    }
    const countersignature = sign(null, checkpointBytes(checkpoint), key.privateKey).toString('base64');
    const copy: CountersignedCopy = { n: checkpoint.n, at: checkpoint.at, signature: checkpoint.signature, countersignature };
    const fd = openSync(options.copies, 'a');
    try {
      writeSync(fd, `${JSON.stringify(copy)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    last = copy;
    return { ok: true, party, signature: countersignature };
  };
}
