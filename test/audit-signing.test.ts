import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationSettings, openAuthorization } from '../server/authorization.ts';
import { openControlPlane } from '../server/control-plane.ts';
import {
  archive, archiveDirOf, auditKeyFileOf, checkpointBytes, checkpointsFileOf, decisionHash, groupCommit, openAuditLog, openSigningKey, publicKeyFileOf, recordHash,
  scheduleCheckpoints, signedHeads, verifyTrail, type AccessRecord, type Checkpoint, type StoredRecord,
} from '../supergraph/audit/index.ts';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { adminCall, APPS, answer, applyFor, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

const run = promisify(execFile);
/** A record as the tampering tests write it, by column: later columns (request ids, digests, withheld) keep their defaults. */
const INSERT_RECORD = 'INSERT INTO audit_record (seq, at, app_id, department, purpose, operation_hash, returned, denied, providers, entities, outcome, status, prev_hash, hash, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function record(n: number): AccessRecord {
  return { at: new Date(Date.UTC(2026, 0, n)).toISOString(), appId: 'a', department: 'd', purpose: `p-${n}`, operationHash: 'h', returned: ['Person.name', `Person.f${n}`], denied: [], providers: ['population'], entities: n, outcome: 'OK', status: 200 };
}

/** A signed trail of `n` records in `<root>/state/audit.db`, its key in `<root>/keys`, a checkpoint every `every` records and one at close. */
function signedTrail(n: number, every = 2) {
  const root = mkdtempSync(join(tmpdir(), 'jointgraph-signing-'));
  const file = join(root, 'state', 'audit.db');
  const keyFile = auditKeyFileOf(join(root, 'state'));
  const { key } = openSigningKey(keyFile);
  const signing = { key, checkpointsFile: checkpointsFileOf(keyFile), everyRecords: every };
  const log = openAuditLog(file, { signing });
  for (let i = 1; i <= n; i++) log.append(record(i));
  log.decisions.append({ at: record(n).at, who: 'operator', action: 'revoke', subject: 'app-1', coordinates: ['Person.name'], decision: 'REVOKED', reason: 'r', detail: null });
  log.close();
  return { root, file, keyFile, dir: archiveDirOf(file), signing, publicKey: key.publicKey, checkpointsFile: signing.checkpointsFile };
}

type Trail = ReturnType<typeof signedTrail>;

const verify = (t: Trail) => verifyTrail({ file: t.file, archiveDir: t.dir, publicKey: t.publicKey, checkpointsFile: t.checkpointsFile });

function tamper(file: string, sql: string) {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

const rechained = (records: AccessRecord[]): StoredRecord[] => {
  let prevHash = '0'.repeat(64);
  return records.map((r, i) => {
    const seq = i + 1;
    const hash = recordHash(prevHash, seq, r);
    const stored = { ...r, seq, prevHash, hash };
    prevHash = hash;
    return stored;
  });
};

/** What someone with write access but no key can do: change the records, recompute the whole chain, rewrite the index and the head. */
function forge(file: string, change: (records: AccessRecord[]) => AccessRecord[]) {
  const db = new Database(file);
  const rows = db.prepare('SELECT * FROM audit_record ORDER BY seq').all() as Record<string, unknown>[];
  const records = rows.map((r) => ({
    at: r.at, appId: r.app_id, department: r.department, purpose: r.purpose, operationHash: r.operation_hash, returned: JSON.parse(r.returned as string),
    denied: JSON.parse(r.denied as string), providers: JSON.parse(r.providers as string), entities: r.entities, outcome: r.outcome, status: r.status,
  }) as AccessRecord);
  const forged = rechained(change(records));
  db.exec('DELETE FROM audit_record; DELETE FROM audit_coordinate; DELETE FROM audit_head');
  const insert = db.prepare(INSERT_RECORD);
  for (const r of forged) {
    insert.run(r.seq, r.at, r.appId, r.department, r.purpose, r.operationHash, JSON.stringify(r.returned), JSON.stringify(r.denied), JSON.stringify(r.providers), r.entities, r.outcome, r.status, r.prevHash, r.hash, r.requestId ?? null);
    for (const c of r.returned) db.prepare('INSERT INTO audit_coordinate VALUES (?, ?)').run(r.seq, c);
  }
  const last = forged.at(-1);
  if (last) db.prepare('INSERT INTO audit_head VALUES (1, ?, ?)').run(last.seq, last.hash);
  db.close();
}

describe('signed audit checkpoints', () => {
  it('verify a trail whose records are untouched, and say what the newest covers', () => {
    const trail = signedTrail(5);
    expect(verify(trail)).toMatchObject({ ok: true, records: 5, decisions: 1, checkpoints: { count: 3, lastSeq: 5, after: 0 }, signed: { count: 3, last: { n: 3, access: { seq: 5 }, decisions: { seq: 1 } } } });
    const log = openAuditLog(trail.file, { signing: trail.signing });
    log.append(record(6));
    expect(log.verify()).toMatchObject({ ok: true, records: 6, checkpoints: { lastSeq: 5, after: 1 } });
    log.close();
    expect(verify(trail)).toMatchObject({ ok: true, records: 6, checkpoints: { count: 4, lastSeq: 6, after: 0 } });
  });

  it('are signed by the writer thread every so many records, on a timer and at close, as one chain of checkpoints', async () => {
    const trail = signedTrail(0, 10);
    const log = openAuditLog(trail.file, { signing: trail.signing });
    const recordAccess = groupCommit(log);
    await Promise.all(Array.from({ length: 8 }, async (_, c) => {
      for (let i = 0; i < 10; i++) await recordAccess(record(c * 10 + i + 1));
    }));
    await recordAccess.close();
    const byWriter = verify(trail).checkpoints!.count;
    expect(byWriter).toBeGreaterThanOrEqual(2);
    log.append(record(81));
    let timer: { stop(): void } | undefined;
    // The timer's first firing, seen by the trail it calls.
    await new Promise<void>((fired) => {
      const firing = {
        checkpoint: () => {
          log.checkpoint();
          fired();
        },
      };
      timer = scheduleCheckpoints(firing, 0.05, (error) => expect.fail(String(error)));
    });
    timer!.stop();
    expect(verify(trail)).toMatchObject({ ok: true, records: 81, checkpoints: { count: byWriter + 1, lastSeq: 81, after: 0 } });
    log.append(record(82));
    log.close();
    expect(verify(trail)).toMatchObject({ ok: true, records: 82, checkpoints: { count: byWriter + 2, lastSeq: 82 } });
  });

  it('fail the append that needs a checkpoint when none can be written, its records kept', () => {
    const trail = signedTrail(0);
    const notAFolder = join(trail.root, 'not-a-folder');
    writeFileSync(notAFolder, '');
    const log = openAuditLog(trail.file, { signing: { ...trail.signing, checkpointsFile: join(notAFolder, 'checkpoints.jsonl') } });
    log.append(record(1));
    expect(() => log.append(record(2))).toThrow(/not-a-folder/);
    expect(log.recent(5).map((r) => r.seq)).toEqual([2, 1]);
    expect(() => log.close()).toThrow(/not-a-folder/);
    expect(openAuditLog(trail.file).verify()).toMatchObject({ ok: true, records: 2 });
  });

  it('detect records edited, deleted, reordered or inserted, with the chain recomputed or not', () => {
    const cases: [string, (t: Trail) => void, { seq: number; problem: string }][] = [
      ['edited', (t) => tamper(t.file, `UPDATE audit_record SET purpose = 'other' WHERE seq = 3`), { seq: 3, problem: 'edited' }],
      ['deleted', (t) => tamper(t.file, 'DELETE FROM audit_record WHERE seq = 2; DELETE FROM audit_coordinate WHERE seq = 2'), { seq: 3, problem: 'deleted-or-reordered' }],
      ['reordered', (t) => tamper(t.file, 'UPDATE audit_record SET seq = seq + 100 WHERE seq = 2; UPDATE audit_record SET seq = 2 WHERE seq = 4; UPDATE audit_record SET seq = 4 WHERE seq = 102'), { seq: 2, problem: 'deleted-or-reordered' }],
      ['edited and re-chained', (t) => forge(t.file, (rs) => rs.map((r, i) => (i === 2 ? { ...r, purpose: 'other' } : r))), { seq: 4, problem: 'checkpoint-mismatch' }],
      ['deleted and re-chained', (t) => forge(t.file, (rs) => rs.filter((_, i) => i !== 0)), { seq: 2, problem: 'checkpoint-mismatch' }],
      ['reordered and re-chained', (t) => forge(t.file, (rs) => [rs[1]!, rs[0]!, ...rs.slice(2)]), { seq: 2, problem: 'checkpoint-mismatch' }],
      ['inserted and re-chained', (t) => forge(t.file, (rs) => [...rs.slice(0, 2), record(9), ...rs.slice(2)]), { seq: 4, problem: 'checkpoint-mismatch' }],
    ];
    for (const [kind, change, brokenAt] of cases) {
      const trail = signedTrail(6);
      expect(verify(trail), 'before').toMatchObject({ ok: true });
      change(trail);
      expect(verify(trail).brokenAt, kind).toEqual(brokenAt);
    }
  });

  it('detect a tail cut with the head row rewritten, and a wiped store, records or file', () => {
    const cut = signedTrail(6);
    forge(cut.file, (rs) => rs.slice(0, 4));
    expect(verify(cut)).toMatchObject({ ok: false, brokenAt: { seq: 5, problem: 'truncated' } });
    const wiped = signedTrail(6);
    tamper(wiped.file, 'DELETE FROM audit_record; DELETE FROM audit_coordinate; DELETE FROM audit_head; DELETE FROM audit_checkpoint');
    expect(verify(wiped).brokenAt).toEqual({ seq: 1, problem: 'wiped' });
    const gone = signedTrail(6);
    rmSync(dirname(gone.file), { recursive: true });
    expect(verify(gone)).toMatchObject({ ok: false, records: 0, brokenAt: { seq: 1, problem: 'wiped' } });
  });

  it('detect recipient rows deleted or added, though the index is outside the chain', () => {
    const missing = signedTrail(4);
    tamper(missing.file, `DELETE FROM audit_coordinate WHERE seq = 3 AND coordinate = 'Person.name'`);
    expect(verify(missing).brokenAt).toEqual({ seq: 3, problem: 'recipient-missing' });
    const added = signedTrail(4);
    tamper(added.file, `INSERT INTO audit_coordinate VALUES (2, 'Person.idNumber')`);
    expect(verify(added).brokenAt).toEqual({ seq: 2, problem: 'recipient-added' });
  });

  it('detect a decision edited, or re-chained, or cut off', () => {
    const edited = signedTrail(2);
    tamper(edited.file, `UPDATE decision_record SET reason = 'other' WHERE seq = 1`);
    expect(verify(edited).brokenAt).toEqual({ seq: 1, problem: 'decision-edited' });
    const rechainedDecision = signedTrail(2);
    const db = new Database(rechainedDecision.file);
    const row = db.prepare('SELECT * FROM decision_record WHERE seq = 1').get() as Record<string, string>;
    const forged = { at: row.at!, who: 'operator', action: 'revoke' as const, subject: row.subject!, coordinates: [], decision: 'REVOKED', reason: 'other', detail: null, seq: 1 };
    const hash = decisionHash('0'.repeat(64), forged);
    db.prepare(`UPDATE decision_record SET reason = 'other', coordinates = '[]', hash = ? WHERE seq = 1`).run(hash);
    db.prepare('UPDATE decision_head SET hash = ?').run(hash);
    db.close();
    expect(verify(rechainedDecision).brokenAt).toEqual({ seq: 1, problem: 'decision-checkpoint-mismatch' });
    const cut = signedTrail(2);
    tamper(cut.file, 'DELETE FROM decision_record; DELETE FROM decision_head');
    expect(verify(cut).brokenAt).toEqual({ seq: 1, problem: 'decision-wiped' });
  });

  it('detect a forged checkpoint, one signed with another key, and a checkpoint line deleted', () => {
    const lines = (t: Trail) => readFileSync(t.checkpointsFile, 'utf8').trimEnd().split('\n');
    const forged = signedTrail(4);
    writeFileSync(forged.checkpointsFile, lines(forged).map((l, i) => (i === 1 ? l.replace('"seq":4', '"seq":5') : l)).join('\n') + '\n');
    expect(verify(forged).brokenAt).toEqual({ seq: 5, problem: 'checkpoint-invalid' });
    const otherKey = signedTrail(4);
    expect(verifyTrail({ file: otherKey.file, archiveDir: otherKey.dir, publicKey: generateKeyPairSync('ed25519').publicKey, checkpointsFile: otherKey.checkpointsFile }).brokenAt).toMatchObject({ problem: 'checkpoint-invalid' });
    const deleted = signedTrail(6);
    writeFileSync(deleted.checkpointsFile, lines(deleted).filter((_, i) => i !== 1).join('\n') + '\n');
    expect(verify(deleted).brokenAt).toEqual({ seq: 6, problem: 'checkpoint-missing' });
  });

  it('check countersignatures whose party key is given, and list the others', () => {
    const trail = signedTrail(2);
    const provider = generateKeyPairSync('ed25519');
    const checkpoints = readFileSync(trail.checkpointsFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Checkpoint);
    const last = checkpoints.at(-1)!;
    const signature = (key: KeyObject = provider.privateKey) => sign(null, checkpointBytes(last), key).toString('base64');
    const countersigned = { ...last, countersignatures: [{ party: 'population', signature: signature() }, { party: 'tax', signature: signature() }] };
    const keys = { operator: trail.publicKey, countersigners: new Map([['population', provider.publicKey]]) };
    expect(signedHeads({ exported: countersigned }, keys)).toMatchObject({ count: 1, unverified: ['tax'] });
    const wrong = { ...last, countersignatures: [{ party: 'population', signature: signature(generateKeyPairSync('ed25519').privateKey) }] };
    expect(signedHeads({ exported: wrong }, keys).brokenAt).toEqual({ seq: last.access.seq, problem: 'checkpoint-invalid' });
  });

  it('keep archived segments verifying, and catch an archive rewritten with the trail', async () => {
    const trail = signedTrail(6);
    const log = openAuditLog(trail.file);
    await archive(log, { before: record(4).at, dir: trail.dir });
    log.close();
    expect(verify(trail)).toMatchObject({ ok: true, records: 6, archived: 3, segments: 1, live: 3 });
    // Rewrite all of it consistently: the segment, its manifest line, the base row, the live records.
    const forged = rechained([1, 2, 3, 4, 5, 6].map((n) => (n === 1 ? { ...record(1), purpose: 'other' } : record(n))));
    const bytes = gzipSync(forged.slice(0, 3).map((r) => `${JSON.stringify(r)}\n`).join(''));
    writeFileSync(join(trail.dir, 'audit-1-3.jsonl.gz'), bytes);
    const segment = { firstSeq: 1, lastSeq: 3, prevHash: '0'.repeat(64), hash: forged[2]!.hash, newestAt: record(3).at, sha256: createHash('sha256').update(bytes).digest('hex') };
    writeFileSync(join(trail.dir, 'manifest.jsonl'), `${JSON.stringify(segment)}\n`);
    const db = new Database(trail.file);
    db.exec('DELETE FROM audit_record; DELETE FROM audit_coordinate');
    for (const r of forged.slice(3)) {
      db.prepare(INSERT_RECORD).run(r.seq, r.at, r.appId, r.department, r.purpose, r.operationHash, JSON.stringify(r.returned), JSON.stringify(r.denied), JSON.stringify(r.providers), r.entities, r.outcome, r.status, r.prevHash, r.hash, r.requestId ?? null);
      for (const c of r.returned) db.prepare('INSERT INTO audit_coordinate VALUES (?, ?)').run(r.seq, c);
    }
    db.prepare('UPDATE audit_base SET hash = ?').run(forged[2]!.hash);
    db.prepare('UPDATE audit_head SET seq = 6, hash = ?').run(forged[5]!.hash);
    db.close();
    expect(verifyTrail({ file: trail.file, archiveDir: trail.dir }), 'the chain alone').toMatchObject({ ok: true });
    expect(verify(trail).brokenAt).toEqual({ seq: 2, problem: 'checkpoint-mismatch' });
  });
});

describe('npm run audit:verify and npm run audit:export', () => {
  it('verify a signed trail with the key beside it, and fail on a copy forged with the chain recomputed', async () => {
    const trail = signedTrail(3);
    const ok = await run(process.execPath, ['dist/cli/audit-verify.js', '--file', trail.file]);
    expect(ok.stdout).toContain('OK: 3 records, hash chain intact');
    expect(ok.stdout).toMatch(/Signed: 2 checkpoints verify with key [0-9a-f]{16}; the newest \(2, [^)]+\) names record 3 and decision record 1\n/);
    forge(trail.file, (rs) => rs.map((r, i) => (i === 0 ? { ...r, purpose: 'other' } : r)));
    const failure = await run(process.execPath, ['dist/cli/audit-verify.js', '--file', trail.file]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('[AUDIT_CHAIN_BROKEN] record 2: checkpoint-mismatch') });
  });

  it('export the newest checkpoint with the public key, and verify a copy against it without the key folder', async () => {
    const trail = signedTrail(3);
    const out = join(trail.root, 'checkpoint.json');
    const exported = await run(process.execPath, ['dist/cli/audit-export.js', '--file', trail.file, '--out', out]);
    expect(exported.stdout).toMatch(/^Exported checkpoint 2 \(record 3, decision record 1, .*\) to /);
    expect((await run(process.execPath, ['dist/cli/audit-export.js', '--file', trail.file, '--public-key'])).stdout).toBe(readFileSync(publicKeyFileOf(trail.keyFile), 'utf8'));
    const copy = join(mkdtempSync(join(tmpdir(), 'jointgraph-auditor-')), 'audit.db');
    copyFileSync(trail.file, copy);
    rmSync(join(trail.root, 'keys'), { recursive: true });
    const offline = await run(process.execPath, ['dist/cli/audit-verify.js', '--file', copy, '--checkpoint', out]);
    expect(offline.stdout).toContain('OK: 3 records, hash chain intact');
    expect(offline.stdout).toContain('names record 3 and decision record 1');
    // The copies of the checkpoints in the store go too: the exported one still holds.
    forge(copy, (rs) => rs.map((r, i) => (i === 2 ? { ...r, returned: [] } : r)));
    tamper(copy, 'DELETE FROM audit_checkpoint');
    const failure = await run(process.execPath, ['dist/cli/audit-verify.js', '--file', copy, '--checkpoint', out]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('[AUDIT_CHAIN_BROKEN] record 3: checkpoint-mismatch') });
  });
});

describe('the decision trail', () => {
  const settings = sampleAuthorization();
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ authorization: settings });
  });
  afterAll(() => platform.close());

  it('records who applied, approved, refused and revoked, who objected and who answered, under the checkpoints', async () => {
    const audit = platform.authorization!.audit;
    // Only an app that received a field may object to it.
    const { data } = await asApp(platform, APPS.tax, 'tax-inspection/CASE-1')('{ enterprises(first: 1) { creditCode name } }');
    const code = (data!.enterprises as { creditCode: string }[])[0]!.creditCode;
    const granted = await applyFor(platform, APPS.assistance, { coordinates: ['Person.name'], purpose: 'assistance-review' });
    for (const { party } of granted.parties) await answer(platform, party, granted.id, 'approve');
    await answer(platform, 'operator', granted.id, 'revoke', 'Case closed');
    const refused = await applyFor(platform, APPS.tax, { coordinates: ['Person.name'], purpose: 'tax-inspection' });
    await answer(platform, 'population', refused.id, 'refuse', 'No legal basis');
    const filed = await adminCall(platform, { apiKey: APPS.tax }, `mutation { fileObjection(input: { coordinate: "Enterprise.name", key: "${code}", observedValue: "old", comment: "Renamed" }) { id } }`);
    expect(filed.errors).toBeUndefined();
    const objection = (filed.data!.fileObjection as { id: string }).id;
    await adminCall(platform, { token: 'jg-admin-enterprise' }, `mutation { answerObjection(id: "${objection}", decision: REJECTED, reason: "The register is right") { status } }`);

    const decisions = audit.decisions.recent(100).reverse();
    expect(decisions.map((d) => [d.action, d.who, d.subject, d.decision])).toEqual([
      ['label-overlay', 'operator (file)', settings.labelOverlayFile, null],
      ['app-registry', 'operator (file)', settings.appsFile, null],
      ['apply', 'social-assistance', granted.id, null],
      ...granted.parties.map(({ party }) => ['approve', party, granted.id, 'APPROVED']),
      ['revoke', 'operator', granted.id, 'REVOKED'],
      ['apply', 'tax-inspection', refused.id, null],
      ['refuse', 'population', refused.id, 'REFUSED'],
      ['object', 'tax-inspection', objection, null],
      ['answer-objection', 'enterprise', objection, 'REJECTED'],
    ]);
    expect(decisions.find((d) => d.action === 'revoke')).toMatchObject({ coordinates: ['Person.name'], reason: 'Case closed' });
    expect(decisions.find((d) => d.action === 'apply')).toMatchObject({ coordinates: ['Person.name'], reason: 'Test basis', detail: expect.stringContaining('"purpose":"assistance-review"') });
    expect(decisions.find((d) => d.action === 'answer-objection')).toMatchObject({ coordinates: ['Enterprise.name'], reason: 'The register is right' });
    expect(JSON.parse(decisions[0]!.detail!)).toEqual({ sha256: createHash('sha256').update(readFileSync(settings.labelOverlayFile)).digest('hex') });

    const checkpoint = audit.checkpoint()!;
    expect(checkpoint).toMatchObject({ access: { seq: 1 }, decisions: { seq: decisions.length } });
    expect(audit.verify()).toMatchObject({ ok: true, records: 1, decisions: decisions.length, checkpoints: { lastSeq: 1, after: 0 } });
    const check = await adminCall(platform, { token: 'jg-admin-operator' }, '{ verifyAuditTrail { ok records brokenAtSeq problem } }');
    expect(check.data!.verifyAuditTrail).toEqual({ ok: true, records: 1, brokenAtSeq: null, problem: null });

    tamper(audit.file, `UPDATE decision_record SET reason = 'Approved after all' WHERE action = 'refuse'`);
    const tampered = await adminCall(platform, { token: 'jg-admin-operator' }, '{ verifyAuditTrail { ok brokenAtSeq problem } }');
    expect(tampered.data!.verifyAuditTrail).toEqual({ ok: false, brokenAtSeq: decisions.findIndex((d) => d.action === 'refuse') + 1, problem: 'decision-edited' });
  });

  it('keeps the signing key outside the state folder, readable by its owner only, and refuses it inside', async () => {
    const keyFile = join(dirname(settings.stateDir), 'keys', 'audit-signing.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(publicKeyFileOf(keyFile))).toBe(true);
    expect(readFileSync(checkpointsFileOf(keyFile), 'utf8').split('\n').length).toBeGreaterThan(2);
    const stateDir = join(mkdtempSync(join(tmpdir(), 'jointgraph-keys-')), 'state');
    const inside = { ...settings, stateDir, auditSigning: { keyFile: join(stateDir, 'keys', 'audit-signing.pem'), everyRecords: 1000, everySeconds: 60 } };
    const stores = await openControlPlane({ stateDir: mkdtempSync(join(tmpdir(), 'jointgraph-keys-stores-')) }, (error) => { throw error; });
    expect(() => openAuthorization(platform.supergraphSdl, inside, stores)).toThrow(ConfigError);
    expect(() => openAuthorization(platform.supergraphSdl, inside, stores)).toThrow(/^JG_AUDIT_KEY_FILE: the audit signing key .* would be kept in the state folder/);
    // A state folder that would hold the default key (server.dataDir/keys): refused too.
    const keysAsState = { ...settings, stateDir: join(settings.dataDir!, 'keys') };
    expect(() => openAuthorization(platform.supergraphSdl, keysAsState, stores)).toThrow(/^JG_STATE_DIR: /);
    await stores.close();
    expect(existsSync(join(stateDir, 'keys'))).toBe(false);
  });

  it('is created once when processes start at once: every one reads the same key, none a half-written file', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'jointgraph-keys-')), 'keys', 'audit-signing.pem');
    const script = `import { openSigningKey } from ${JSON.stringify(new URL('../dist/supergraph/audit/index.js', import.meta.url).pathname)}; const { key, created } = openSigningKey(${JSON.stringify(keyFile)}); console.log(JSON.stringify({ id: key.id, created }));`;
    const started = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, ['--input-type=module', '-e', script])));
    const opened = started.map((r) => JSON.parse(r.stdout) as { id: string; created: boolean });
    expect(new Set(opened.map((o) => o.id)).size).toBe(1);
    expect(opened.filter((o) => o.created).length).toBe(1);
    expect(opened[0]!.id).toBe(openSigningKey(keyFile).key.id);
    expect(readdirSync(dirname(keyFile)).sort()).toEqual(['audit-signing.pem', 'audit-signing.pub.pem']);
  }, 60_000);

  it('take the key file and how often to sign from the settings', () => {
    expect(authorizationSettings(loadSettings({})).auditSigning).toEqual({ everyRecords: 1000, everySeconds: 60 });
    expect(authorizationSettings(loadSettings({ JG_AUDIT_KEY_FILE: '/srv/keys/audit.pem', JG_AUDIT_CHECKPOINT_RECORDS: '1', JG_AUDIT_CHECKPOINT_SECONDS: '5' })).auditSigning)
      .toEqual({ keyFile: '/srv/keys/audit.pem', everyRecords: 1, everySeconds: 5 });
    expect(() => loadSettings({ JG_AUDIT_CHECKPOINT_RECORDS: '0' })).toThrow(/^JG_AUDIT_CHECKPOINT_RECORDS: expected a whole number from 1/);
  });
});
