import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { archive, groupCommit, openAuditLog, pruneSegments, runRetention, scheduleRetention, verifyArchive, type AccessRecord } from '../supergraph/audit/index.ts';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';

const run = promisify(execFile);

/** An instant on day `day` of January 2026 (day 32 is February 1st). */
const day = (n: number) => new Date(Date.UTC(2026, 0, n)).toISOString();

function record(n: number, at = day(n)): AccessRecord {
  return { at, appId: 'a', department: 'd', purpose: `p-${n}`, operationHash: 'h', returned: ['Person.name'], denied: [], providers: ['population'], entities: n, outcome: 'OK', status: 200 };
}

/** A trail in a fresh folder with one record a day from January 1st, its archive beside it. */
function trailOf(days: number) {
  const folder = mkdtempSync(join(tmpdir(), 'jointgraph-retention-'));
  const trail = { file: join(folder, 'audit.db'), dir: join(folder, 'audit-archive') };
  const log = openAuditLog(trail.file);
  for (let n = 1; n <= days; n++) log.append(record(n));
  log.close();
  return trail;
}

async function archived(trail: { file: string; dir: string }, ...cutoffs: number[]) {
  const log = openAuditLog(trail.file);
  const results = [];
  for (const cutoff of cutoffs) results.push(await archive(log, { before: day(cutoff), dir: trail.dir }));
  log.close();
  return results;
}

function tamper(file: string, sql: string) {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

function editSegment(path: string, edit: (lines: string[]) => string[]) {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trimEnd().split('\n');
  writeFileSync(path, gzipSync(edit(lines).join('\n') + '\n'));
}

describe('audit retention', () => {
  it('moves the records older than the cutoff into a segment, and archive and trail verify as one chain', async () => {
    const trail = trailOf(10);
    const [result] = await archived(trail, 5);
    expect(result).toMatchObject({ records: 4, segments: [{ firstSeq: 1, lastSeq: 4, prevHash: '0'.repeat(64), newestAt: day(4) }] });
    expect(existsSync(join(trail.dir, 'audit-1-4.jsonl.gz'))).toBe(true);
    const log = openAuditLog(trail.file);
    expect(log.verify()).toMatchObject({ ok: true, records: 6, base: { seq: 4, hash: result!.segments[0]!.hash } });
    expect(log.recent(100).map((r) => r.seq)).toEqual([10, 9, 8, 7, 6, 5]);
    expect(log.recipients('Person.name').map((r) => r.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    log.close();
    const db = new Database(trail.file, { readonly: true });
    expect(db.prepare('SELECT MIN(seq) AS first, COUNT(*) AS n FROM audit_coordinate').get()).toEqual({ first: 5, n: 6 });
    db.close();
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 10, archived: 4, segments: 1, live: 6 });
  });

  it('moves only a prefix of the chain: it stops at the first record that is not older', async () => {
    const trail = trailOf(0);
    const log = openAuditLog(trail.file);
    for (const n of [1, 2, 9, 3]) log.append(record(n));
    const result = await archive(log, { before: day(5), dir: trail.dir });
    expect(result.segments.map((s) => [s.firstSeq, s.lastSeq])).toEqual([[1, 2]]);
    expect(log.recent(10).map((r) => r.seq)).toEqual([4, 3]);
    log.close();
  });

  it('writes no segment when no record is older than the cutoff', async () => {
    const trail = trailOf(3);
    expect(await archived(trail, 1)).toEqual([{ records: 0, segments: [] }]);
    expect(existsSync(trail.dir)).toBe(false);
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 3, segments: 0 });
  });

  it('keeps verifying as records are appended after an archival, and chains a second archival to the first', async () => {
    const trail = trailOf(5);
    await archived(trail, 3);
    const log = openAuditLog(trail.file);
    log.appendAll([record(6), record(7)]);
    expect(log.verify()).toMatchObject({ ok: true, records: 5 });
    log.close();
    const [second] = await archived(trail, 7);
    expect(second!.segments.map((s) => [s.firstSeq, s.lastSeq])).toEqual([[3, 6]]);
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 7, archived: 6, segments: 2, live: 1 });
  });

  it('writes segments of at most maxRecords, each chained to the one before', async () => {
    const trail = trailOf(7);
    const log = openAuditLog(trail.file);
    const result = await archive(log, { before: day(7), dir: trail.dir, maxRecords: 2 });
    log.close();
    expect(result.segments.map((s) => [s.firstSeq, s.lastSeq])).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(result.segments[1]!.prevHash).toBe(result.segments[0]!.hash);
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 7, segments: 3 });
  });

  it('reports an edited segment at the edited record, and one whose bytes changed at its first', async () => {
    const trail = trailOf(6);
    await archived(trail, 6);
    const segment = join(trail.dir, 'audit-1-5.jsonl.gz');
    const original = readFileSync(segment);
    editSegment(segment, (lines) => lines.map((line, i) => (i === 2 ? line.replace('"p-3"', '"something else"') : line)));
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 3, problem: 'segment-edited' });
    writeFileSync(segment, gzipSync(gunzipSync(original), { level: 1 }));
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 1, problem: 'segment-edited' });
    editSegment(segment, (lines) => lines.filter((_, i) => i !== 1));
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 3, problem: 'deleted-or-reordered' });
  });

  it('reports a segment deleted before its retention period as missing, with or without its manifest line', async () => {
    const trail = trailOf(8);
    await archived(trail, 4, 7);
    rmSync(join(trail.dir, 'audit-4-6.jsonl.gz'));
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: false, brokenAt: { seq: 4, problem: 'segment-missing' }, archived: 3 });
    rmSync(join(trail.dir, 'audit-1-3.jsonl.gz'));
    rmSync(join(trail.dir, 'manifest.jsonl'));
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 1, problem: 'segment-missing' });
  });

  it('deletes the segments past the retention period, and the kept chain still verifies from where it starts', async () => {
    const trail = trailOf(10);
    await archived(trail, 4, 8);
    const log = openAuditLog(trail.file);
    // February 7th: archive what is older than 30 days (January 8th: nothing new), delete segments older than 32 days (January 6th).
    const report = await runRetention(log, { archiveAfterDays: 30, retentionDays: 32, dir: trail.dir }, new Date(day(38)));
    log.close();
    expect(report).toMatchObject({ records: 0, deleted: [{ firstSeq: 1, lastSeq: 3 }] });
    expect(existsSync(join(trail.dir, 'audit-1-3.jsonl.gz'))).toBe(false);
    expect(JSON.parse(readFileSync(join(trail.dir, 'retained-from.json'), 'utf8'))).toEqual({ firstSeq: 4, prevHash: report.deleted[0]!.hash });
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 7, archived: 4, segments: 1, live: 3, retainedFrom: 4 });
    rmSync(join(trail.dir, 'audit-4-7.jsonl.gz'));
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 4, problem: 'segment-missing' });
  });

  it('deletes nothing under retention 0, and nothing that is not past the period', async () => {
    const trail = trailOf(6);
    await archived(trail, 4);
    const log = openAuditLog(trail.file);
    expect((await runRetention(log, { archiveAfterDays: 30, retentionDays: 0, dir: trail.dir }, new Date(day(400)))).deleted).toEqual([]);
    expect(pruneSegments(log, { before: day(3), dir: trail.dir })).toEqual([]);
    log.close();
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, segments: 2 });
  });

  it('reports a deleted base row, and a deleted head row', async () => {
    const trail = trailOf(6);
    await archived(trail, 4);
    tamper(trail.file, 'DELETE FROM audit_base');
    expect(openAuditLog(trail.file).verify().brokenAt).toEqual({ seq: 4, problem: 'base-missing' });
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 4, problem: 'base-missing' });
    // The recipients index goes too: its rows would name the deleted records.
    tamper(trail.file, 'DELETE FROM audit_record; DELETE FROM audit_coordinate; DELETE FROM audit_head');
    expect(openAuditLog(trail.file).verify()).toEqual({ ok: true, records: 0 });
    expect(verifyArchive(trail.dir, trail.file).brokenAt).toEqual({ seq: 4, problem: 'base-missing' });

    const headless = trailOf(3);
    tamper(headless.file, 'DELETE FROM audit_head');
    expect(openAuditLog(headless.file).verify().brokenAt).toEqual({ seq: 4, problem: 'head-missing' });
  });

  it('keeps a verifiable trail when an archival stops after its segment was written but before its delete committed', async () => {
    const trail = trailOf(6);
    const before = `${trail.file}.before`;
    copyFileSync(trail.file, before);
    await archived(trail, 4);
    copyFileSync(before, trail.file); // the delete never happened: the segment's records are still in the trail
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 6, segments: 0 });
    await archived(trail, 5);
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 6, archived: 4, segments: 1, live: 2 });
  });

  it('fails every append at once, none hanging, once the group-commit writer cannot open the trail', async () => {
    const trail = trailOf(0);
    const log = openAuditLog(trail.file);
    log.close();
    rmSync(trail.file);
    mkdirSync(trail.file); // the writer's thread cannot open a folder as its database
    const recordAccess = groupCommit(log);
    await expect(recordAccess(record(1, day(1)))).rejects.toThrow(/audit writer/);
    await expect(recordAccess(record(2, day(1)))).rejects.toThrow(/audit writer/);
    await recordAccess.close();
  });

  it('archives while the group-commit writer appends from its own thread, without failing an append or losing a record', async () => {
    const trail = trailOf(0);
    const log = openAuditLog(trail.file);
    const recordAccess = groupCommit(log);
    let settled = false;
    const client = async (c: number) => {
      for (let i = 0; i < 50; i++) await recordAccess(record(c * 50 + i, day(1)));
    };
    const appends = Promise.all(Array.from({ length: 8 }, (_, c) => client(c))).finally(() => (settled = true));
    let moved = 0;
    while (!settled) {
      moved += (await archive(log, { before: day(2), dir: trail.dir, maxRecords: 7 })).records;
      await nextTurn(); // the appends' answers from the writer thread, between rounds
    }
    await appends;
    await recordAccess.close();
    moved += (await archive(log, { before: day(2), dir: trail.dir })).records;
    log.close();
    expect(moved).toBe(400);
    expect(verifyArchive(trail.dir, trail.file)).toMatchObject({ ok: true, records: 400, live: 0 });
  });

  it('runs at start from the gateway’s schedule, and stops', async () => {
    const trail = trailOf(4);
    const log = openAuditLog(trail.file);
    const errors: unknown[] = [];
    const job = scheduleRetention(log, { archiveAfterDays: 30, retentionDays: 0, dir: trail.dir }, { now: () => new Date(day(33)), onError: (e) => errors.push(e) });
    job.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log.verify()).toMatchObject({ ok: true, records: 2, base: { seq: 2 } });
    log.close();
    expect(errors).toEqual([]);
  });

  it('refuses a retention period shorter than the archive-after period', () => {
    expect(loadSettings({})).toMatchObject({ auditArchiveAfterDays: 30, auditRetentionDays: 0 });
    expect(loadSettings({ JG_AUDIT_ARCHIVE_AFTER_DAYS: '7', JG_AUDIT_RETENTION_DAYS: '7' })).toMatchObject({ auditArchiveAfterDays: 7, auditRetentionDays: 7 });
    expect(() => loadSettings({ JG_AUDIT_RETENTION_DAYS: '10' })).toThrow(ConfigError);
    expect(() => loadSettings({ JG_AUDIT_RETENTION_DAYS: '10' })).toThrow(/^JG_AUDIT_RETENTION_DAYS: expected 0 .* or at least JG_AUDIT_ARCHIVE_AFTER_DAYS \(30\)/);
  });

  it('archives and verifies through `npm run audit:archive` and `npm run audit:verify`', async () => {
    const trail = trailOf(5); // January 2026: older than one day whenever this runs
    const env = { ...process.env, JG_AUDIT_ARCHIVE_AFTER_DAYS: '1' };
    const archiving = await run(process.execPath, ['dist/cli/audit-archive.js', '--file', trail.file], { env });
    expect(archiving.stdout).toContain(`Archived 5 records older than 1 day into 1 segment in ${trail.dir}: audit-1-5.jsonl.gz`);
    expect((await run(process.execPath, ['dist/cli/audit-verify.js', '--file', trail.file])).stdout).toContain('OK: 5 archived records in 1 segment + 0 live records, hash chain intact');
    editSegment(join(trail.dir, 'audit-1-5.jsonl.gz'), (lines) => lines.map((line) => line.replace('"p-2"', '"p-x"')));
    const failure = await run(process.execPath, ['dist/cli/audit-verify.js', '--file', trail.file]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('[AUDIT_CHAIN_BROKEN] record 2: segment-edited') });
  });
});
