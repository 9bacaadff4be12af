// The whole check `npm run audit:verify` runs: the archive and the trail as one chain, the
// recipients index and the decision trail, all against the signed checkpoints — those in the file
// beside the key, the copies kept in the store, and one exported for verification elsewhere.

import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { openAuditLog } from './audit-log.ts';
import { parseCheckpoint, readCheckpointFile, type Checkpoint } from './checkpoint.ts';
import { verifyArchive, type ArchiveCheck } from './retention.ts';
import { signedHeads, type SignedHeads } from './signed-heads.ts';

export interface TrailSources {
  /** The trail (`audit.db`); a missing file is a trail without records. */
  file: string;
  archiveDir: string;
  /** The operator's public key: without it no checkpoint is checked. */
  publicKey?: KeyObject;
  /** Public keys of the parties that may countersign. */
  countersigners?: ReadonlyMap<string, KeyObject>;
  checkpointsFile?: string;
  exported?: Checkpoint;
}

export interface TrailCheck extends ArchiveCheck {
  /** What the checkpoints vouched for, when a public key was given. */
  signed?: SignedHeads;
  /** Checkpoints found but not checked, for want of a public key. */
  unchecked: number;
  /** The checkpoints the trail holds by number (the file's, then the store's copies of others): what providers' countersignatures are checked over. */
  checkpointList: Checkpoint[];
}

function storedCheckpoints(file: string): string[] {
  if (!existsSync(file)) return [];
  const log = openAuditLog(file);
  try {
    return log.storedCheckpoints();
  } finally {
    log.close();
  }
}

export function verifyTrail(sources: TrailSources): TrailCheck {
  const stored = storedCheckpoints(sources.file);
  const file = sources.checkpointsFile && existsSync(sources.checkpointsFile) ? readCheckpointFile(sources.checkpointsFile) : undefined;
  const found = stored.length + (file?.checkpoints.length ?? 0) + (sources.exported ? 1 : 0);
  const keys = sources.publicKey && { operator: sources.publicKey, ...(sources.countersigners ? { countersigners: sources.countersigners } : {}) };
  const signed = keys && signedHeads({ stored, ...(file ? { file } : {}), ...(sources.exported ? { exported: sources.exported } : {}) }, keys);
  const unchecked = keys ? 0 : found;
  const byN = new Map<number, Checkpoint>();
  for (const c of [...stored.flatMap((text) => parseCheckpoint(text) ?? []), ...(file?.checkpoints ?? [])]) byN.set(c.n, c);
  const checkpointList = [...byN.values()].sort((a, b) => a.n - b.n);
  if (!existsSync(sources.file)) {
    const empty = { records: 0, archived: 0, segments: 0, live: 0, unchecked, checkpointList, ...(signed ? { signed } : {}) };
    const named = Math.max(signed?.access.last ?? 0, signed?.decisions.last ?? 0);
    return named > 0 ? { ...empty, ok: false, brokenAt: { seq: 1, problem: 'wiped' } } : { ...empty, ok: true };
  }
  return { ...verifyArchive(sources.archiveDir, sources.file, signed), unchecked, checkpointList, ...(signed ? { signed } : {}) };
}
