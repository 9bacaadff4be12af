import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, readPublicKey, recordHash, valueDigest, verifyTrail, type AccessRecord } from '../supergraph/audit/index.ts';
import { adminCall, APPS, asApp, grant } from './support/authorization.ts';
import { sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const run = promisify(execFile);
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

function record(n: number): AccessRecord {
  return { at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), appId: 'a', department: 'd', purpose: 'p', operationHash: 'h', returned: ['Person.name'], denied: [], providers: ['population'], entities: n, outcome: 'OK', status: 200 };
}

function trailOf(n: number): string {
  const file = join(tempDataDir(), 'audit.db');
  const log = openAuditLog(file);
  for (let i = 1; i <= n; i++) log.append(record(i));
  log.close();
  return file;
}

function tamper(file: string, sql: string) {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

describe('the access audit trail', () => {
  it('records every request: who, why, what was returned and denied, from which providers', async () => {
    await asApp(platform, APPS.tax, 'tax-inspection/CASE-3')('{ enterprises(first: 2) { name taxArrears legalRepresentative { district } } }');
    await platform.gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ enterprises(first: 1) { name } }' } });
    const [unauthenticated, partial] = platform.authorization!.audit.recent(2);
    expect(partial).toMatchObject({
      appId: 'tax-inspection',
      department: 'Taxation Bureau',
      purpose: 'tax-inspection/CASE-3',
      operationHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      returned: ['Enterprise.legalRepresentative', 'Enterprise.name', 'Person.district', 'Query.enterprises'],
      denied: ['Enterprise.taxArrears'],
      providers: ['enterprise', 'population'],
      entities: 4,
      outcome: 'PARTIAL',
      status: 200,
    });
    expect(unauthenticated).toMatchObject({ appId: null, outcome: 'UNAUTHENTICATED', status: 401, returned: [] });
  });

  it('keeps each request’s id and finds a request by it, by field, provider, purpose and dates', async () => {
    const from = new Date().toISOString();
    const asked = await platform.gateway.inject({
      method: 'POST', url: '/graphql',
      headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-41', 'x-request-id': 'case-41/req-1' },
      payload: { query: '{ enterprises(first: 1) { name legalRepresentative { district } } }' },
    });
    expect(asked.headers['x-request-id']).toBe('case-41/req-1');
    const audit = platform.authorization!.audit;
    const [found, ...more] = audit.search({ requestId: 'case-41/req-1', limit: 10 });
    expect(more).toEqual([]);
    expect(found).toMatchObject({ requestId: 'case-41/req-1', appId: 'tax-inspection', purpose: 'tax-inspection/CASE-41', providers: ['enterprise', 'population'] });
    const seqs = (search: Parameters<typeof audit.search>[0]) => audit.search(search).map((r) => r.seq);
    expect(seqs({ purpose: 'tax-inspection', coordinate: 'Person.district', provider: 'population', from, limit: 10 })).toEqual([found!.seq]);
    expect(seqs({ purpose: 'tax-inspection/CASE-41', limit: 10 })).toEqual([found!.seq]);
    expect(seqs({ purpose: 'tax-inspect', from, limit: 10 })).toEqual([]);
    expect(seqs({ purpose: 'tax-inspection', coordinate: 'Person.name', from, limit: 10 })).toEqual([]);
    expect(seqs({ provider: 'tax', from, limit: 10 })).toEqual([]);
    expect(seqs({ requestId: 'case-41/req-1', to: '2000-01-01T00:00:00.000Z', limit: 10 })).toEqual([]);
    expect(seqs({ appId: 'tax-inspection', beforeSeq: found!.seq, limit: 1 })[0]).toBeLessThan(found!.seq);
    expect(audit.verify().ok).toBe(true);
    // Records written before request ids were kept still hash as they did.
    const legacy = record(1);
    expect(recordHash('0'.repeat(64), 1, legacy)).toBe(createHash('sha256').update('0'.repeat(64)).update('\n')
      .update(JSON.stringify([1, legacy.at, legacy.appId, legacy.department, legacy.purpose, legacy.operationHash, legacy.returned, legacy.denied, legacy.providers, legacy.entities, legacy.outcome, legacy.status])).digest('hex'));
  });

  it('answers who received a field, for what purpose, between dates', async () => {
    await grant(platform, APPS.assistance, { coordinates: ['Person.name'], purpose: 'assistance-review' });
    const from = new Date().toISOString();
    await asApp(platform, APPS.assistance, 'assistance-review/CASE-11')('{ enterprises(first: 1) { legalRepresentative { name } } }');
    const asPopulation = await adminCall(platform, { token: 'jg-admin-population' }, `{ recipients(coordinate: "Person.name", from: "${from}") { appId department purpose returned } }`);
    expect(asPopulation.data!.recipients).toEqual([
      { appId: 'social-assistance', department: 'Civil Affairs Bureau', purpose: 'assistance-review/CASE-11', returned: expect.arrayContaining(['Person.name']) },
    ]);
    const asTax = await adminCall(platform, { token: 'jg-admin-tax' }, '{ recipients(coordinate: "Person.name") { appId } }');
    expect(asTax.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('names the records whose values it returned by digest, chained with the record; older records without them still verify', () => {
    const file = join(tempDataDir(), 'audit.db');
    const log = openAuditLog(file);
    log.append(record(1));
    log.append({ ...record(2), valueDigests: [valueDigest('Person.name', 'Person:A')] });
    expect(log.receivedValue('a', valueDigest('Person.name', 'Person:A'))).toBe(true);
    expect(log.receivedValue('a', valueDigest('Person.name', 'Person:B'))).toBe(false);
    expect(log.receivedValue('b', valueDigest('Person.name', 'Person:A'))).toBe(false);
    expect(log.verify()).toEqual({ ok: true, records: 2 });
    log.close();
    const copy = (sql: string) => {
      const tampered = join(tempDataDir(), 'audit.db');
      copyFileSync(file, tampered);
      tamper(tampered, sql);
      return openAuditLog(tampered).verify().brokenAt;
    };
    expect(copy(`UPDATE audit_record SET value_digests = '["${valueDigest('Person.name', 'Person:B')}"]' WHERE seq = 2`)).toEqual({ seq: 2, problem: 'edited' });
    expect(copy(`INSERT INTO audit_value VALUES (1, '${valueDigest('Person.name', 'Person:B')}')`)).toEqual({ seq: 1, problem: 'recipient-added' });
    expect(copy('DELETE FROM audit_value')).toEqual({ seq: 2, problem: 'recipient-missing' });
  });

  it('verifies an intact chain', async () => {
    expect(openAuditLog(trailOf(5)).verify()).toEqual({ ok: true, records: 5 });
    const check = await adminCall(platform, { token: 'jg-admin-operator' }, '{ verifyAuditTrail { ok records } }');
    expect(check.data!.verifyAuditTrail).toMatchObject({ ok: true });
  });

  it('detects an edited, a deleted, a reordered and a cut-off record', () => {
    const cases: [string, string, number][] = [
      ['edited', `UPDATE audit_record SET purpose = 'something else' WHERE seq = 3`, 3],
      ['deleted-or-reordered', 'DELETE FROM audit_record WHERE seq = 2', 3],
      ['deleted-or-reordered', 'UPDATE audit_record SET seq = seq + 100 WHERE seq = 2; UPDATE audit_record SET seq = 2 WHERE seq = 4; UPDATE audit_record SET seq = 4 WHERE seq = 102', 2],
      ['tail-deleted', 'DELETE FROM audit_record WHERE seq = 5', 5],
    ];
    for (const [problem, sql, seq] of cases) {
      const file = trailOf(5);
      tamper(file, sql);
      const log = openAuditLog(file);
      expect(log.verify().brokenAt, problem).toEqual({ seq, problem });
      log.close();
    }
  });

  it('makes `npm run audit:verify` fail on a tampered trail', async () => {
    const file = trailOf(3);
    expect((await run(process.execPath, ['dist/cli/audit-verify.js', '--file', file])).stdout).toContain('OK: 3 records');
    tamper(file, `UPDATE audit_record SET returned = '[]' WHERE seq = 1`);
    const failure = await run(process.execPath, ['dist/cli/audit-verify.js', '--file', file]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('[AUDIT_CHAIN_BROKEN] record 1: edited') });
  });

  it('keeps the record of a response even when the process is killed right after sending it', async () => {
    const dataDir = tempDataDir();
    const env = {
      ...process.env,
      JG_PORT: '0',
      JG_SUBGRAPH_BASE_PORT: '0',
      JG_DATA_DIR: dataDir,
      JG_SEED: String(SMALL_CITY.seed),
      JG_PERSONS: String(SMALL_CITY.persons),
      JG_ENTERPRISES: String(SMALL_CITY.enterprises),
    };
    const child = spawn(process.execPath, ['dist/cli/start.js'], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /GraphQL\s+(http\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`gateway exited: ${out}`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CRASH' },
      body: JSON.stringify({ query: '{ enterprises(first: 1) { name } }' }),
    });
    expect(response.status).toBe(200);
    process.kill(-child.pid!, 'SIGKILL'); // no clean shutdown, no flush
    await new Promise((resolve) => child.once('exit', resolve));
    const log = openAuditLog(join(dataDir, 'state', 'audit.db'));
    expect(log.recent(1)[0]).toMatchObject({ purpose: 'tax-inspection/CRASH', outcome: 'OK' });
    expect(log.verify().ok).toBe(true);
    log.close();
    // Signed checkpoints cover it from the next one on: until then, the hash chain only.
    const keys = join(dataDir, 'keys');
    const signed = verifyTrail({ file: join(dataDir, 'state', 'audit.db'), archiveDir: join(dataDir, 'state', 'audit-archive'), publicKey: readPublicKey(join(keys, 'audit-signing.pub.pem')), checkpointsFile: join(keys, 'checkpoints.jsonl') });
    expect(signed).toMatchObject({ ok: true, records: 1, checkpoints: { lastSeq: 0, after: 1 } });
  }, 120_000); // six processes start: slow on a busy machine
});
