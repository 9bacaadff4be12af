// A trail countersigned end to end: every checkpoint is countersigned (the one signed at shutdown
// at the next start), verification names the records the operator's signature alone covers and
// finds a tail cut below a countersigned checkpoint through the providers' own copies, even with
// the checkpoints beside the key rewritten to match; and an answer withheld after its record was
// written leaves a WITHHELD record, not a recipient.

import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthorizationSettings } from '../server/authorization.ts';
import { countersignaturesFileOf, openAuditLog, readCheckpointFile, WITHHELD, type Checkpoint } from '../supergraph/audit/index.ts';
import { APPS, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const run = promisify(execFile);

const settingsWith = (everyRecords: number): AuthorizationSettings => {
  const base = sampleAuthorization();
  return { ...base, auditSigning: { ...base.auditSigning!, everyRecords } };
};
const start = (authorization: AuthorizationSettings, dataDir: string, logged?: (line: string) => void) =>
  startTestPlatform({ authorization, dataDir, gateway: { countersignIntervalMs: 0, ...(logged ? { logger: { level: 'warn', stream: { write: logged } } } : {}) } });
const ask = (platform: TestPlatform) => asApp(platform, APPS.tax, 'tax-inspection/CASE-5')('{ enterprises(first: 1) { name taxCreditRating } }');
const keysOf = (authorization: AuthorizationSettings) => join(authorization.stateDir, '..', 'keys');
const checkpointsOf = (authorization: AuthorizationSettings) => join(keysOf(authorization), 'checkpoints.jsonl');
const copiesOf = (dataDir: string, party: string) =>
  readFileSync(join(dataDir, 'access', `${party}.countersigned.jsonl`), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { n: number }).n);

interface VerifyJson {
  ok: boolean;
  countersignatures: { ok: boolean; head: number | null; problems: { party: string; n: number; problem: string }[] } | null;
  operatorOnly: { records: number; ranges: { from: number; to: number }[] };
}
/** `npm run audit:verify -- --json` on the trail of `authorization`, with the providers' keys and copies under `dataDir`. */
async function verifyJson(authorization: AuthorizationSettings, dataDir: string): Promise<{ exit: number; report: VerifyJson }> {
  const args = ['dist/cli/audit-verify.js', '--json', '--file', join(authorization.stateDir, 'audit.db'), '--providers', dataDir];
  const done = await run(process.execPath, args).then((r) => ({ exit: 0, stdout: r.stdout }), (e: { code: number; stdout: string }) => ({ exit: e.code, stdout: e.stdout }));
  return { exit: done.exit, report: JSON.parse(done.stdout) as VerifyJson };
}

describe('every checkpoint countersigned, and what verification says of the rest', () => {
  const authorization = settingsWith(1_000);
  const dataDir = tempDataDir();
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await start(authorization, dataDir);
  });
  afterAll(() => platform.close());

  it('countersigns every checkpoint signed since the last round, not only the newest', async () => {
    await platform.gateway.jointgraph.countersign!();
    for (let i = 0; i < 3; i++) {
      await ask(platform);
      await platform.authorization!.access.checkpoint();
    }
    const round = await platform.gateway.jointgraph.countersign!();
    expect(round!.failed).toEqual([]);
    expect(round!.added).toBeGreaterThanOrEqual(3 * platform.providers.length);
    const numbers = readCheckpointFile(checkpointsOf(authorization)).checkpoints.map((c) => c.n);
    for (const p of platform.providers) expect(copiesOf(dataDir, p.name)).toEqual(numbers);
    const { exit, report } = await verifyJson(authorization, dataDir);
    expect(exit).toBe(0);
    expect(report.countersignatures?.head).toBe(numbers.at(-1));
    expect(report.operatorOnly.records).toBe(0);
  });

  it('names the records appended and re-signed with the operator’s key after the last countersigned checkpoint', async () => {
    await platform.gateway.jointgraph.countersign!();
    const vouched = readCheckpointFile(checkpointsOf(authorization)).checkpoints.at(-1)!.access.seq;
    // Whoever holds the audit key appends two records and signs a checkpoint over them.
    const forger = openAuditLog(join(authorization.stateDir, 'audit.db'), platform.authorization!.audit.options);
    const appended = forger.appendAll([1, 2].map((i) => ({
      at: new Date().toISOString(), appId: 'tax-inspection', department: 'tax', purpose: `tax-inspection/FORGED-${i}`, operationHash: null,
      returned: ['Enterprise.name'], denied: [], providers: ['enterprise'], entities: 1, outcome: 'OK', status: 200,
    })));
    forger.checkpoint();
    forger.close();
    const { exit, report } = await verifyJson(authorization, dataDir);
    expect(report.countersignatures?.ok).toBe(true);
    expect(exit).toBe(0);
    expect(report.operatorOnly).toEqual({ records: 2, ranges: [{ from: vouched + 1, to: appended.at(-1)!.seq }] });
  });
});

describe('the checkpoint signed at shutdown', () => {
  it('is countersigned when the gateway starts again', async () => {
    const authorization = settingsWith(1_000);
    const dataDir = tempDataDir();
    const first = await start(authorization, dataDir);
    await ask(first);
    await first.gateway.jointgraph.countersign!();
    await ask(first);
    await first.close();
    const atShutdown = readCheckpointFile(checkpointsOf(authorization)).checkpoints.at(-1)!;
    expect(copiesOf(dataDir, 'tax')).not.toContain(atShutdown.n);

    const again = await start(authorization, dataDir);
    try {
      const round = await again.gateway.jointgraph.countersignedAtStart;
      expect(round?.failed).toEqual([]);
      for (const p of again.providers) expect(copiesOf(dataDir, p.name)).toContain(atShutdown.n);
    } finally {
      await again.close();
    }
  });
});

describe('a tail cut below a countersigned checkpoint, with the key folder writable', () => {
  it('is found through the providers’ own copies when the checkpoints beside the key were rewritten to match', async () => {
    const authorization = settingsWith(1_000);
    const dataDir = tempDataDir();
    const platform = await start(authorization, dataDir);
    let before!: Checkpoint;
    try {
      await ask(platform);
      await platform.gateway.jointgraph.countersign!();
      before = readCheckpointFile(checkpointsOf(authorization)).checkpoints.at(-1)!;
      await ask(platform);
      await ask(platform);
      await platform.gateway.jointgraph.countersign!();
      const cut = readCheckpointFile(checkpointsOf(authorization)).checkpoints.filter((c) => c.n > before.n);
      expect(cut.length).toBeGreaterThan(0);
      expect((await verifyJson(authorization, dataDir)).exit).toBe(0);
    } finally {
      await platform.close();
    }
    // With write access to the state and to keys/: the records after `before` go, with every
    // checkpoint and countersignature that named them; the chain, head row and checkpoints agree again.
    const keep = readCheckpointFile(checkpointsOf(authorization)).checkpoints.filter((c) => c.n <= before.n);
    const last = keep.at(-1)!;
    const db = new Database(join(authorization.stateDir, 'audit.db'));
    db.prepare('DELETE FROM audit_record WHERE seq > ?').run(last.access.seq);
    db.prepare('DELETE FROM audit_coordinate WHERE seq > ?').run(last.access.seq);
    db.prepare('DELETE FROM audit_value WHERE seq > ?').run(last.access.seq);
    db.prepare('UPDATE audit_head SET seq = ?, hash = ?').run(last.access.seq, last.access.hash);
    db.prepare('DELETE FROM audit_checkpoint WHERE n > ?').run(last.n);
    db.close();
    writeFileSync(checkpointsOf(authorization), keep.map((c) => `${JSON.stringify(c)}\n`).join(''));
    const countersignatures = countersignaturesFileOf(checkpointsOf(authorization));
    writeFileSync(countersignatures, readFileSync(countersignatures, 'utf8').split('\n').filter((l) => l && (JSON.parse(l) as { n: number }).n <= last.n).map((l) => `${l}\n`).join(''));

    const { exit, report } = await verifyJson(authorization, dataDir);
    expect(exit).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.countersignatures?.problems).toContainEqual(expect.objectContaining({ party: 'tax', problem: 'copy-of-unknown-checkpoint' }));
  });
});

describe('an answer withheld after its record was written', () => {
  it('is followed by a WITHHELD record naming it, and its app is no recipient of the fields', async () => {
    const authorization = settingsWith(1);
    const dataDir = tempDataDir();
    let marked!: () => void;
    const compensated = new Promise<void>((resolve) => (marked = resolve));
    const platform = await start(authorization, dataDir, (line) => line.includes('a WITHHELD record follows it') && marked());
    const file = checkpointsOf(authorization);
    const text = readFileSync(file, 'utf8');
    try {
      // The checkpoint after each group commit cannot be written: the record is, the answer is not.
      rmSync(file);
      mkdirSync(file);
      const response = await platform.gateway.inject({
        method: 'POST', url: '/graphql',
        headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-5' },
        payload: { query: '{ enterprises(first: 1) { name taxCreditRating } }' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().errors[0].extensions.code).toBe('NOT_READY');
      await compensated;
    } finally {
      rmSync(file, { recursive: true, force: true });
      writeFileSync(file, text);
    }
    const audit = platform.authorization!.audit;
    const [withheld, original] = audit.recent(2);
    expect(original).toMatchObject({ status: 200, returned: expect.arrayContaining(['Enterprise.name']) });
    expect(withheld).toMatchObject({ outcome: WITHHELD, status: 503, withholds: original!.seq, returned: [], requestId: original!.requestId });
    for (const coordinate of original!.returned) expect(audit.recipients(coordinate).map((r) => r.seq)).not.toContain(original!.seq);
    expect(audit.received(original!.appId!, 'Enterprise.name')).toBe(false);
    expect(audit.verify().ok).toBe(true);
    await platform.close();
  });
});
