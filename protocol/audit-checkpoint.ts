// The audit checkpoint as the operator and the providers both read it: its shape, the exact bytes
// that are signed (and countersigned), and how one checkpoint links to the next. Shared by the
// gateway's audit trail (supergraph/audit) and the providers that countersign (subgraphs/kit).

import { createHash, type KeyObject } from 'node:crypto';

/** A place in a hash chain: a record's seq and hash. */
export interface ChainLink {
  seq: number;
  hash: string;
}

export interface Countersignature {
  party: string;
  /** Base64 Ed25519 signature over the same bytes the operator signed (`checkpointBytes`). */
  signature: string;
}

export interface Checkpoint {
  v: 1;
  /** 1 for the first checkpoint, one more for each after it. */
  n: number;
  at: string;
  /** Which key signed it (`keyId`). */
  key: string;
  /** The access trail's last record; its seq is also the number of records ever written. */
  access: ChainLink;
  /** The decision trail's last record. */
  decisions: ChainLink;
  /** SHA-256 of the previous checkpoint's signature; null for the first. */
  prev: string | null;
  /** Base64 Ed25519 signature of `checkpointBytes`. */
  signature: string;
  countersignatures?: Countersignature[];
}

export type CheckpointBody = Omit<Checkpoint, 'signature' | 'countersignatures'>;

/** The first 16 hex digits of the SHA-256 of a public key (SPKI, DER). */
export const keyId = (publicKey: KeyObject) => createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);

/** The bytes signed: fixed order, so the JSON a checkpoint is stored as may order its keys freely. */
export function checkpointBytes(c: CheckpointBody): Buffer {
  return Buffer.from(`jointgraph-audit-checkpoint\n${JSON.stringify([c.v, c.n, c.at, c.key, c.access.seq, c.access.hash, c.decisions.seq, c.decisions.hash, c.prev])}`);
}

/** What links the next checkpoint to this one. */
export const signatureHash = (c: Checkpoint) => createHash('sha256').update(c.signature).digest('hex');

const isLink = (l: unknown): l is ChainLink => typeof l === 'object' && l !== null && Number.isInteger((l as ChainLink).seq) && typeof (l as ChainLink).hash === 'string';

/** A checkpoint read back from JSON, or undefined when it does not have a checkpoint's shape. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  let c: Checkpoint;
  try {
    c = JSON.parse(text) as Checkpoint;
  } catch {
    return undefined;
  }
  const shaped = c?.v === 1 && Number.isInteger(c.n) && typeof c.at === 'string' && typeof c.key === 'string' && isLink(c.access) && isLink(c.decisions)
    && (c.prev === null || typeof c.prev === 'string') && typeof c.signature === 'string'
    && (c.countersignatures === undefined || (Array.isArray(c.countersignatures) && c.countersignatures.every((s) => typeof s?.party === 'string' && typeof s.signature === 'string')));
  return shaped ? c : undefined;
}
