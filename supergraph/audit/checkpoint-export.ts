// A checkpoint taken elsewhere: the newest signed checkpoint with the public key that verifies it,
// in one file, so an auditor can check a copy of the trail without the key folder. The key inside
// proves nothing by itself: compare its id with the one the operator published.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import { publicKeyPem } from './signing-key.ts';

export interface CheckpointExport {
  checkpoint: Checkpoint;
  publicKey: KeyObject;
}

export function writeCheckpointExport(file: string, { checkpoint, publicKey }: CheckpointExport): void {
  writeFileSync(file, `${JSON.stringify({ checkpoint, publicKey: publicKeyPem(publicKey) }, null, 2)}\n`);
}

/** The export in `file`, or undefined when it is not one. */
export function readCheckpointExport(file: string): CheckpointExport | undefined {
  try {
    const { checkpoint, publicKey } = JSON.parse(readFileSync(file, 'utf8')) as { checkpoint: unknown; publicKey: string };
    const parsed = parseCheckpoint(JSON.stringify(checkpoint));
    return parsed && { checkpoint: parsed, publicKey: createPublicKey(publicKey) };
  } catch {
    return undefined;
  }
}
