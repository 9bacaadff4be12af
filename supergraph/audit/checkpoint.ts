// A signed checkpoint: the heads of the access trail and of the decision trail at one moment,
// signed with the operator's Ed25519 key and linked to the checkpoint before it. Checkpoints are
// appended to a file beside the key, outside the state folder, so rewriting or wiping the store
// leaves signed heads it no longer matches.
//
// Countersignatures: a party (a provider) may sign the same bytes with its own Ed25519 key and add
// `{ party, signature }` to `countersignatures`; they are not part of what the operator signs, so
// they can be added later. Verification checks every countersignature whose party's public key
// it is given (`CheckpointKeys.countersigners`) and lists the parties whose key it was not given.

import { sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkpointBytes, keyId, parseCheckpoint, type Checkpoint, type CheckpointBody } from '../../protocol/audit-checkpoint.ts';

export { checkpointBytes, keyId, parseCheckpoint, signatureHash, type Checkpoint, type CheckpointBody, type Countersignature } from '../../protocol/audit-checkpoint.ts';

export interface CheckpointKeys {
  operator: KeyObject;
  /** Public keys of the parties that may countersign, by party. */
  countersigners?: ReadonlyMap<string, KeyObject>;
}

export const signCheckpoint = (body: CheckpointBody, privateKey: KeyObject): Checkpoint => ({ ...body, signature: sign(null, checkpointBytes(body), privateKey).toString('base64') });

export interface SignatureCheck {
  ok: boolean;
  /** Parties whose countersignature is there but whose key was not given. */
  unverified: string[];
}

export function checkSignatures(c: Checkpoint, keys: CheckpointKeys): SignatureCheck {
  const bytes = checkpointBytes(c);
  const valid = (signature: string, key: KeyObject) => verify(null, bytes, key, Buffer.from(signature, 'base64'));
  if (c.key !== keyId(keys.operator) || !valid(c.signature, keys.operator)) return { ok: false, unverified: [] };
  const unverified: string[] = [];
  for (const { party, signature } of c.countersignatures ?? []) {
    const key = keys.countersigners?.get(party);
    if (!key) unverified.push(party);
    else if (!valid(signature, key)) return { ok: false, unverified };
  }
  return { ok: true, unverified };
}

/** One line, written and flushed to disk before this returns. */
export function appendCheckpoint(file: string, c: Checkpoint): void {
  const created = !existsSync(file);
  if (created) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(c)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) {
    const folder = openSync(dirname(file), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  }
}

export interface CheckpointFile {
  checkpoints: Checkpoint[];
  /** 1-based numbers of lines that are not checkpoints (a last line cut short by a crash is not counted). */
  badLines: number[];
}

export function readCheckpointFile(file: string): CheckpointFile {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const result: CheckpointFile = { checkpoints: [], badLines: [] };
  lines.forEach((line, i) => {
    if (line === '') return;
    const c = parseCheckpoint(line);
    if (c) result.checkpoints.push(c);
    // The last line without its newline: a write the process did not finish.
    else if (i < lines.length - 1) result.badLines.push(i + 1);
  });
  return result;
}

/** The last whole checkpoint in the file, read from its end: every checkpoint links to the one before. */
export function lastCheckpointIn(file: string): Checkpoint | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let span = 4_096; ; span *= 4) {
      const start = Math.max(0, size - span);
      const buffer = Buffer.alloc(size - start);
      readSync(fd, buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      const end = text.lastIndexOf('\n');
      const from = text.lastIndexOf('\n', end - 1) + 1;
      if (end > 0 && (from > 0 || start === 0)) return parseCheckpoint(text.slice(from, end));
      if (start === 0) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}
