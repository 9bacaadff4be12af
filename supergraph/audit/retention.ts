// Retention of the access audit trail: old records move out of the SQLite trail into gzipped
// segment files (one JSON line per record) listed in a manifest, and segments past the retention
// period may be deleted. `verifyArchive` checks the segments and the trail as one hash chain.
//
// Checked alone, the chain catches a segment edited, lost or deleted before its time, and a trail
// cut off from its archive; whoever can write both the archive folder and the trail could still
// rewrite them consistently. Checked against signed checkpoints (`verifyArchive`'s `signed`), a
// segment rewritten that way no longer matches the hashes they name.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { checkChain, openAuditLog, type AuditLog, type ChainCheck, type StoredRecord } from './audit-log.ts';
import { GENESIS, type ChainLink } from './chain.ts';
import type { SignedHeads } from './signed-heads.ts';

/** One manifest line: a segment's range, the links its chain starts and ends at, its bytes' digest. */
export interface Segment {
  firstSeq: number;
  lastSeq: number;
  /** The first record's prevHash (the hash of the record before the segment). */
  prevHash: string;
  /** The last record's hash. */
  hash: string;
  /** The newest record's instant: the segment is past retention when this is. */
  newestAt: string;
  sha256: string;
}

export interface ArchiveOptions {
  /** Records older than this instant are moved, up to the first one that is not. */
  before: string;
  dir: string;
  /**
   * Records per segment (default 5,000, about 3.5 MB before gzip): each segment is one
   * transaction holding the write lock, and the event loop runs between segments.
   */
  maxRecords?: number;
  /** Stops between segments. */
  signal?: AbortSignal;
}

export interface ArchiveResult {
  segments: Segment[];
  records: number;
}

export interface RetentionPolicy {
  archiveAfterDays: number;
  /** 0 keeps segments forever. */
  retentionDays: number;
  dir: string;
}

export interface RetentionReport extends ArchiveResult {
  deleted: Segment[];
}

export interface ArchiveCheck extends ChainCheck {
  /** Records verified in the archive, and in how many segments. */
  archived: number;
  segments: number;
  /** Records verified in the trail itself. */
  live: number;
  /** The first record kept, when older segments were deleted past the retention period. */
  retainedFrom?: number;
}

const MANIFEST = 'manifest.jsonl';
// Where the kept chain starts once segments past retention were deleted: the first kept seq and
// its prevHash. It has no secret: it tells verify where a legitimate cut is, it cannot prove that
// a cut was legitimate (verify reports where the kept chain starts, so the cut is never silent).
const RETAINED_FROM = 'retained-from.json';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const segmentFile = (s: Pick<Segment, 'firstSeq' | 'lastSeq'>) => `audit-${s.firstSeq}-${s.lastSeq}.jsonl.gz`;

/** The default archive folder: `audit-archive` beside the trail (so `<stateDir>/audit-archive`). */
export const archiveDirOf = (auditFile: string) => join(dirname(auditFile), 'audit-archive');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Temp file, fsync, rename, fsync the folder: after this returns the file survives a crash. */
function writeDurably(dir: string, name: string, content: Uint8Array | string): void {
  const temp = join(dir, `.${name}.tmp`);
  const file = openSync(temp, 'w');
  try {
    writeFileSync(file, content);
    fsyncSync(file);
  } finally {
    closeSync(file);
  }
  renameSync(temp, join(dir, name));
  const folder = openSync(dir, 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

function readManifest(dir: string): Segment[] {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Segment);
}

const writeManifest = (dir: string, segments: readonly Segment[]) => writeDurably(dir, MANIFEST, segments.map((s) => `${JSON.stringify(s)}\n`).join(''));

function readRetainedFrom(dir: string): ChainLink | undefined {
  const path = join(dir, RETAINED_FROM);
  if (!existsSync(path)) return undefined;
  const { firstSeq, prevHash } = JSON.parse(readFileSync(path, 'utf8')) as { firstSeq: number; prevHash: string };
  return { seq: firstSeq - 1, hash: prevHash };
}

function writeSegment(dir: string, records: readonly StoredRecord[]): Segment {
  mkdirSync(dir, { recursive: true });
  const first = records[0]!;
  const last = records.at(-1)!;
  const bytes = gzipSync(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const newestAt = records.reduce((newest, r) => (r.at > newest ? r.at : newest), first.at);
  const segment: Segment = { firstSeq: first.seq, lastSeq: last.seq, prevHash: first.prevHash, hash: last.hash, newestAt, sha256: sha256(bytes) };
  writeDurably(dir, segmentFile(segment), bytes);
  // A line from an archival that crashed before its delete committed names records that are still
  // in the trail, from this segment's first on: this segment replaces it.
  writeManifest(dir, [...readManifest(dir).filter((s) => s.firstSeq < segment.firstSeq), segment]);
  return segment;
}

/** Moves every record older than `before` (a prefix of the chain) into segments in `dir`. */
export async function archive(log: AuditLog, { before, dir, maxRecords = 5_000, signal }: ArchiveOptions): Promise<ArchiveResult> {
  const cutoff = new Date(before).toISOString();
  const result: ArchiveResult = { segments: [], records: 0 };
  while (!signal?.aborted) {
    const moved = log.moveOut(cutoff, maxRecords, (records) => void result.segments.push(writeSegment(dir, records)));
    result.records += moved.length;
    if (moved.length === 0 || moved.length < maxRecords) break;
    await nextTurn();
  }
  return result;
}

/** Deletes the oldest segments whose newest record is older than `before`, and says where the kept chain starts. */
export function pruneSegments(log: AuditLog, { before, dir }: { before: string; dir: string }): Segment[] {
  const cutoff = new Date(before).toISOString();
  return log.exclusive(() => {
    const segments = readManifest(dir);
    const keptFrom = segments.findIndex((s) => s.newestAt >= cutoff);
    const expired = segments.slice(0, keptFrom === -1 ? segments.length : keptFrom);
    const last = expired.at(-1);
    if (!last) return [];
    // retained-from first: after a crash, the segments it leaves behind are all older than it, and verify skips them.
    writeDurably(dir, RETAINED_FROM, `${JSON.stringify({ firstSeq: last.lastSeq + 1, prevHash: last.hash })}\n`);
    for (const segment of expired) rmSync(join(dir, segmentFile(segment)), { force: true });
    writeManifest(dir, segments.slice(expired.length));
    return expired;
  });
}

/** The retention job: archive what is older than `archiveAfterDays`, delete segments older than `retentionDays`. */
export async function runRetention(log: AuditLog, policy: RetentionPolicy, now: Date, signal?: AbortSignal): Promise<RetentionReport> {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const archived = await archive(log, { before: daysAgo(policy.archiveAfterDays), dir: policy.dir, signal });
  const prune = policy.retentionDays > 0 && !signal?.aborted;
  return { ...archived, deleted: prune ? pruneSegments(log, { before: daysAgo(policy.retentionDays), dir: policy.dir }) : [] };
}

/** Runs the retention job now and every hour, never two at once; `stop` it before the trail is closed. */
export function scheduleRetention(log: AuditLog, policy: RetentionPolicy, options: { now: () => Date; onError: (error: unknown) => void }): { stop(): void } {
  const stopped = new AbortController();
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    runRetention(log, policy, options.now(), stopped.signal)
      .catch(options.onError)
      .finally(() => (running = false));
  };
  const timer = setInterval(run, HOUR_MS).unref();
  run();
  return {
    stop() {
      clearInterval(timer);
      stopped.abort();
    },
  };
}

type Break = NonNullable<ChainCheck['brokenAt']>;

function checkSegment(dir: string, segment: Segment, after: ChainLink, signed?: SignedHeads): { records: number; last: ChainLink; brokenAt?: Break } {
  const missing = { records: 0, last: after, brokenAt: { seq: after.seq + 1, problem: 'segment-missing' } as Break };
  const path = join(dir, segmentFile(segment));
  if (segment.firstSeq > after.seq + 1 || !existsSync(path)) return missing;
  const bytes = readFileSync(path);
  let records: StoredRecord[];
  try {
    records = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as StoredRecord);
  } catch {
    return { ...missing, brokenAt: { seq: segment.firstSeq, problem: 'segment-edited' } };
  }
  const check = checkChain(records, after, signed);
  if (check.brokenAt) return check.brokenAt.problem === 'edited' ? { ...check, brokenAt: { seq: check.brokenAt.seq, problem: 'segment-edited' } } : check;
  if (check.last.seq !== segment.lastSeq || check.last.hash !== segment.hash) return { ...check, brokenAt: { seq: Math.min(check.last.seq, segment.lastSeq) + 1, problem: 'segment-edited' } };
  return sha256(bytes) === segment.sha256 ? check : { ...check, brokenAt: { seq: segment.firstSeq, problem: 'segment-edited' } };
}

/** Where the archive's end and the trail's base disagree, if they do. */
function joinBreak(end: ChainLink, base: ChainLink | undefined): Break | undefined {
  const expected = base ?? GENESIS;
  if (end.seq === expected.seq && end.hash === expected.hash) return undefined;
  if (!base) return { seq: end.seq + 1, problem: 'base-missing' };
  if (base.seq > end.seq) return { seq: end.seq + 1, problem: 'segment-missing' };
  return { seq: base.seq < end.seq ? base.seq + 1 : end.seq, problem: 'segment-edited' };
}

/** Problems that leave the trail's records, not only what follows them, in doubt. */
const RECORDS_BROKEN = new Set<string>(['edited', 'deleted-or-reordered', 'checkpoint-mismatch', 'base-missing']);

/**
 * Checks every segment in `dir`, segment after segment, then the trail in `liveFile` after the
 * last; with `signed`, every record a signed checkpoint names must have the hash it gives.
 */
export function verifyArchive(dir: string, liveFile: string, signed?: SignedHeads): ArchiveCheck {
  const log = openAuditLog(liveFile);
  let live: ChainCheck;
  try {
    live = log.verify(signed);
  } finally {
    log.close();
  }
  const retained = readRetainedFrom(dir);
  // Segments from an archival that crashed before its delete committed hold records still in the trail.
  const liveFrom = live.records > 0 && !RECORDS_BROKEN.has(live.brokenAt?.problem ?? '') ? (live.base ?? GENESIS).seq + 1 : Infinity;
  const segments = readManifest(dir).filter((s) => s.lastSeq > (retained ?? GENESIS).seq && s.firstSeq < liveFrom);
  const counts = { archived: 0, segments: 0, live: 0, ...(retained ? { retainedFrom: retained.seq + 1 } : {}) };
  const broken = (brokenAt: Break): ArchiveCheck => ({ ok: false, records: counts.archived, brokenAt, ...counts });
  let link = retained ?? GENESIS;
  for (const segment of segments) {
    const check = checkSegment(dir, segment, link, signed);
    counts.archived += check.records;
    if (check.brokenAt) return broken(check.brokenAt);
    counts.segments++;
    link = check.last;
  }
  const joined = joinBreak(link, live.base);
  if (joined) return broken(joined);
  counts.live = live.records;
  if (live.brokenAt) return { ...broken(live.brokenAt), records: counts.archived + live.records };
  const { ok, brokenAt, records, ...rest } = live;
  return { ok: true, records: counts.archived + records, ...rest, ...counts };
}
