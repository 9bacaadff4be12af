// The audit trail on PostgreSQL, with several replicas appending at once: one chain per replica,
// group commit, signed checkpoints across the chains, tamper evidence, a replica killed under load,
// and PostgreSQL out of reach. Runs against the PostgreSQL at 127.0.0.1:5432 (database `test`),
// in a schema of its own dropped at the end: skipped, with the reason printed, where none answers;
// failed instead when JG_REQUIRE_SERVICES=1 (as CI runs it).

import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyId } from '../protocol/index.ts';
import {
  AuditKeyMismatch, ReplicaIdInUse, AuditTrailUnavailable, openPostgresAuditTrail, readReplicaCheckpointCopies, recordHash, replicaGenesis,
  type Decision, type PostgresAuditTrail, type PostgresAuditTrailOptions, type ReplicaCheckpoint, type ReplicaRecord, type SearchCursor, type SigningKey,
} from '../supergraph/audit/index.ts';
import { accessRecord } from './support/audit-appender.ts';
import { POSTGRES_URL, postgresForTests } from './support/postgres.ts';
import { watchOutput } from './support/process-output.ts';

const available = await postgresForTests('test/postgres-audit.test.ts');

const pair = generateKeyPairSync('ed25519');
const KEY: SigningKey = { ...pair, id: keyId(pair.publicKey) };
/** This run's schemas, apart from any other run's on the same server, and dropped at the end. */
const RUN = `jg_audit_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const schemas: string[] = [];
const schemaFor = (name: string) => {
  const schema = `${RUN}_${name}`;
  schemas.push(schema);
  return schema;
};

describe.skipIf(!available)('the audit trail on PostgreSQL, several replicas', () => {
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
  const opened: PostgresAuditTrail[] = [];
  const open = (options: Omit<PostgresAuditTrailOptions, 'connectionString'>) => {
    const trail = openPostgresAuditTrail({ connectionString: POSTGRES_URL, signing: { key: KEY, everySeconds: 3_600 }, ...options });
    opened.push(trail);
    return trail;
  };
  /** `count` records appended by `inFlight` requests at a time, each waiting for its own before the next. */
  const load = async (trail: PostgresAuditTrail, count: number, inFlight: number) => {
    let next = 0;
    const stored: number[] = [];
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < count) stored.push((await trail.append(accessRecord(next++))).seq);
    }));
    return stored;
  };
  const seqsOf = async (schema: string, replica: string) =>
    (await admin.query(`SELECT seq FROM ${schema}.audit_record WHERE replica_id = $1 ORDER BY seq`, [replica])).rows.map((r) => Number(r.seq));

  afterAll(async () => {
    await Promise.allSettled(opened.map((t) => t.close()));
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  describe('three replicas appending at once', () => {
    const schema = schemaFor('shared');
    let replicas: PostgresAuditTrail[];
    beforeAll(() => {
      replicas = ['a', 'b', 'c'].map((replicaId) => open({ schema, replicaId }));
    });

    it('commits every record in its replica chain, in far fewer transactions than records, and verifies', async () => {
      // The three start on an empty schema at once: the migrations run once, under their lock.
      const stored = await Promise.all(replicas.map((trail) => load(trail, 320, 64)));
      for (const [i, seqs] of stored.entries()) {
        expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 320 }, (_, n) => n + 1));
        expect(await seqsOf(schema, replicas[i]!.replicaId)).toEqual(Array.from({ length: 320 }, (_, n) => n + 1));
        const { records, batches } = replicas[i]!.stats();
        expect(records).toBe(320);
        expect(batches * 4).toBeLessThan(records);
      }
      const checkpoint = await replicas[1]!.checkpoint();
      expect(checkpoint?.heads.map((h) => [h.replica, h.seq])).toEqual([['a', 320], ['b', 320], ['c', 320]]);
      expect(checkpoint?.access.seq).toBe(960);
      const check = await replicas[0]!.verify();
      expect(check).toMatchObject({ ok: true, records: 960, checkpoints: { count: 1, after: 0 } });
      expect(check.chains.map((c) => [c.replica, c.records])).toEqual([['a', 320], ['b', 320], ['c', 320]]);
    });

    it('answers who received a coordinate and the newest records across replicas', async () => {
      const recipients = await replicas[2]!.recipients('Enterprise.taxCreditRating');
      expect(recipients).toHaveLength(960);
      expect(await replicas[2]!.recipients('Enterprise.taxArrears')).toEqual([]);
      expect(await replicas[0]!.received('tax-inspection', 'Enterprise.taxCreditRating')).toBe(true);
      expect(await replicas[0]!.received('tax-inspection', 'Enterprise.taxArrears')).toBe(false);
      const recent = await replicas[0]!.recent(5, 'tax-inspection');
      expect(recent).toHaveLength(5);
      expect(recent.map((r) => r.at)).toEqual(recent.map((r) => r.at).sort().reverse());
    });

    it('searches across replicas, page by page with a cursor', async () => {
      const found: ReplicaRecord[] = [];
      const page = (before: SearchCursor | null) => replicas[1]!.search({ limit: 400, purpose: 'tax-inspection', provider: 'tax', coordinate: 'Enterprise.name', before });
      for (let next = await page(null); next.length > 0; next = await page(found.at(-1)!)) found.push(...next);
      expect(found).toHaveLength(960);
      expect(new Set(found.map((r) => `${r.replica}:${r.seq}`)).size).toBe(960);
      expect(await replicas[1]!.search({ limit: 10, provider: 'population' })).toEqual([]);
      expect((await replicas[1]!.search({ limit: 10, purpose: 'tax-inspection/CASE-7' })).map((r) => r.replica).sort()).toEqual(['a', 'b', 'c']);
    });

    it('keeps a request id, under the record hash', async () => {
      const stored = await replicas[0]!.append({ ...accessRecord(0), requestId: 'req-7f3a' });
      expect((await replicas[0]!.recent(1))[0]).toMatchObject({ replica: 'a', seq: stored.seq, requestId: 'req-7f3a' });
      expect(await replicas[1]!.verify()).toMatchObject({ ok: true, checkpoints: { after: 1 } });
    });

    it('signs checkpoints of every chain on a timer, from whichever replica it fires in', async () => {
      const schema = schemaFor('timer');
      let loaded = false;
      let covered: () => void;
      const coveredByTimer = new Promise<void>((resolve) => (covered = resolve));
      // A tick that began once both chains had all their records signs a checkpoint holding both heads at 20.
      const afterTimedCheckpoint = (newest: ReplicaCheckpoint | undefined) => {
        if (loaded && newest?.heads.length === 2 && newest.heads.every((h) => h.seq === 20)) covered();
      };
      const [a, b] = ['a', 'b'].map((replicaId) => open({ schema, replicaId, signing: { key: KEY, everySeconds: 0.2, afterTimedCheckpoint } }));
      await Promise.all([load(a!, 20, 8), load(b!, 20, 8)]);
      loaded = true;
      await coveredByTimer;
      const check = await b!.verify();
      expect(check).toMatchObject({ ok: true, records: 40, checkpoints: { after: 0 } });
      expect(check.checkpoints!.count).toBeGreaterThan(0);
    });

    it('keeps every answered record of a replica killed with SIGKILL under load, and the chains verify', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/audit-appender.ts', POSTGRES_URL, schema, 'k'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const output = watchOutput(child);
      // Killed mid-load: 200 records committed, 64 more in flight.
      await output.printed(/(?:\d+\n){200}/, 'the appender before it was killed');
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const answered = output.text().split('\n').filter((line) => /^\d+$/.test(line)).map(Number);
      expect(answered.length).toBeGreaterThan(64);
      const kept = new Set(await seqsOf(schema, 'k'));
      expect(answered.filter((seq) => !kept.has(seq))).toEqual([]);
      expect(await replicas[0]!.verify()).toMatchObject({ ok: true });

      // The replica restarts where its chain ends (a batch in flight at the kill may have committed since), and the trail still verifies.
      const again = open({ schema, replicaId: 'k' });
      const { seq } = await again.append(accessRecord(0));
      expect(await seqsOf(schema, 'k')).toEqual(Array.from({ length: seq }, (_, n) => n + 1));
      await again.checkpoint();
      expect(await again.verify()).toMatchObject({ ok: true, checkpoints: { count: 2, after: 0 } });
    });
  });

  describe('tampering', () => {
    /** Two replicas, 10 records each, and a signed checkpoint of both heads. */
    const trailIn = async (name: string) => {
      const schema = schemaFor(name);
      const [a, b] = ['a', 'b'].map((replicaId) => open({ schema, replicaId }));
      await Promise.all([load(a!, 10, 4), load(b!, 10, 4)]);
      await a!.checkpoint();
      expect(await a!.verify()).toMatchObject({ ok: true, records: 20 });
      return { schema, trail: a! };
    };

    it('names the replica and seq of an edited record', async () => {
      const { schema, trail } = await trailIn('edited');
      await admin.query(`UPDATE ${schema}.audit_record SET purpose = 'tax-inspection/OTHER' WHERE replica_id = 'b' AND seq = 4`);
      expect((await trail.verify()).brokenAt).toEqual({ replica: 'b', seq: 4, problem: 'edited' });
    });

    it('names the record after one deleted from the middle', async () => {
      const { schema, trail } = await trailIn('deleted');
      await admin.query(`DELETE FROM ${schema}.audit_record WHERE replica_id = 'b' AND seq = 5`);
      expect((await trail.verify()).brokenAt).toEqual({ replica: 'b', seq: 6, problem: 'deleted-or-reordered' });
    });

    it('finds a tail deleted after a checkpoint, with or without the head row rewritten', async () => {
      const { schema, trail } = await trailIn('tail');
      await admin.query(`DELETE FROM ${schema}.audit_record WHERE replica_id = 'a' AND seq > 8`);
      expect((await trail.verify()).brokenAt).toEqual({ replica: 'a', seq: 9, problem: 'tail-deleted' });
      await admin.query(`UPDATE ${schema}.audit_head SET (seq, hash) = (SELECT seq, hash FROM ${schema}.audit_record WHERE replica_id = 'a' AND seq = 8) WHERE replica_id = 'a'`);
      expect((await trail.verify()).brokenAt).toEqual({ replica: 'a', seq: 9, problem: 'truncated' });
    });

    it('finds an edit whose chain was recomputed, at the head the signed checkpoint names', async () => {
      const { schema, trail } = await trailIn('recomputed');
      const rows = (await admin.query(`SELECT * FROM ${schema}.audit_record WHERE replica_id = 'a' ORDER BY seq`)).rows;
      let prevHash = replicaGenesis('a').hash;
      for (const row of rows) {
        const seq = Number(row.seq);
        const record = { ...accessRecord(0), at: row.at, purpose: seq === 3 ? 'tax-inspection/OTHER' : row.purpose };
        const hash = recordHash(prevHash, seq, record);
        await admin.query(`UPDATE ${schema}.audit_record SET purpose = $1, prev_hash = $2, hash = $3 WHERE replica_id = 'a' AND seq = $4`, [record.purpose, prevHash, hash, seq]);
        prevHash = hash;
      }
      await admin.query(`UPDATE ${schema}.audit_head SET hash = $1 WHERE replica_id = 'a'`, [prevHash]);
      expect(await trail.verify()).toMatchObject({ ok: false, brokenAt: { replica: 'a', seq: 10, problem: 'checkpoint-mismatch' } });
    });

    it('finds a checkpoint rewritten without the key', async () => {
      const { schema, trail } = await trailIn('forged');
      await admin.query(`UPDATE ${schema}.audit_checkpoint SET checkpoint = replace(checkpoint, '"seq":10', '"seq":9') WHERE n = 1`);
      expect((await trail.verify()).brokenAt).toEqual({ checkpoint: 1, problem: 'checkpoint-invalid' });
    });
  });

  describe('the decision trail replicas share', () => {
    const decision = (i: number, who = 'operator/chen.jie'): Decision => ({
      at: new Date().toISOString(), who, action: 'approve', subject: `application-${i}`, coordinates: ['Enterprise.taxArrears'], decision: 'APPROVED', reason: null, detail: null,
    });

    it('keeps the decisions taken through several replicas at once in one chain, in order, signed after each', async () => {
      const schema = schemaFor('decisions');
      const [a, b, c] = ['a', 'b', 'c'].map((replicaId) => open({ schema, replicaId }));
      const stored = await Promise.all(Array.from({ length: 30 }, (_, i) => [a, b, c][i % 3]!.appendDecision(decision(i))));
      expect(stored.map((d) => d.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const recent = await c!.recentDecisions(30);
      expect(recent.map((d) => d.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
      expect(new Set(recent.map((d) => d.replica))).toEqual(new Set(['a', 'b', 'c']));
      await a!.append(accessRecord(1));
      const last = await b!.checkpoint();
      expect(last?.decisions.seq).toBe(30);
      expect(await c!.verify()).toMatchObject({ ok: true, records: 1, decisions: 30 });
    });

    it('records a file digest that replicas starting at once each load once, and again only when it changes', async () => {
      const schema = schemaFor('decisions_digest');
      const trails = ['a', 'b', 'c', 'd'].map((replicaId) => open({ schema, replicaId }));
      const digest = (detail: string): Decision => ({ at: new Date().toISOString(), who: 'operator (file)', action: 'label-overlay', subject: 'labels.json', coordinates: [], decision: null, reason: null, detail });
      const first = await Promise.all(trails.map((t) => t.appendDecisionIfChanged(digest('sha256:one'))));
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await trails[0]!.appendDecisionIfChanged(digest('sha256:one'))).toBeUndefined();
      expect(await trails[1]!.appendDecisionIfChanged(digest('sha256:two'))).toMatchObject({ seq: 2, detail: 'sha256:two' });
      expect(await trails[2]!.appendDecisionIfChanged({ ...digest('sha256:two'), action: 'app-registry' })).toMatchObject({ seq: 3 });
      expect(await trails[3]!.verify()).toMatchObject({ ok: true, decisions: 3 });
    });

    it('names a decision record edited, or cut from the tail, against the signed checkpoints', async () => {
      const schema = schemaFor('decisions_tampered');
      const trail = open({ schema, replicaId: 'a' });
      for (let i = 0; i < 5; i++) await trail.appendDecision(decision(i));
      expect(await trail.verify()).toMatchObject({ ok: true, decisions: 5 });
      await admin.query(`UPDATE ${schema}.decision_record SET who = 'operator/someone.else' WHERE seq = 2`);
      expect((await trail.verify()).brokenAt).toEqual({ decision: 2, problem: 'edited' });
      await admin.query(`UPDATE ${schema}.decision_record SET who = 'operator/chen.jie' WHERE seq = 2`);
      await admin.query(`DELETE FROM ${schema}.decision_record WHERE seq = 5`);
      await admin.query(`UPDATE ${schema}.decision_head SET (seq, hash) = (SELECT seq, hash FROM ${schema}.decision_record WHERE seq = 4)`);
      expect((await trail.verify()).brokenAt).toEqual({ decision: 5, problem: 'truncated' });
    });

    it('finds a schema wiped with its checkpoints through the copies each replica keeps beside its key', async () => {
      const schema = schemaFor('wiped');
      const dir = mkdtempSync(join(tmpdir(), 'jointgraph-audit-copies-'));
      const [a, b] = ['a', 'b'].map((replicaId) => open({ schema, replicaId, signing: { key: KEY, everySeconds: 3_600, checkpointsFile: join(dir, `checkpoints-${replicaId}.jsonl`) } }));
      await a!.appendDecision(decision(1));
      await load(b!, 5, 2);
      await b!.checkpoint();
      const copies = readReplicaCheckpointCopies(dir);
      expect(copies.map((c) => c.n)).toEqual([1, 2]);
      expect(await a!.verify(undefined, copies)).toMatchObject({ ok: true, records: 5, decisions: 1 });
      // Whoever holds the store but not the key empties it, checkpoints included: alone, it looks like a new trail.
      for (const table of ['audit_record', 'audit_head', 'audit_checkpoint', 'decision_record', 'decision_head']) await admin.query(`DELETE FROM ${schema}.${table}`);
      expect(await a!.verify()).toMatchObject({ ok: true, records: 0, decisions: 0 });
      expect((await a!.verify(undefined, copies)).brokenAt).toEqual({ checkpoint: 1, problem: 'checkpoint-missing' });
    });

    it('refuses to start a replica whose audit key is not the one the trail is signed with', async () => {
      const schema = schemaFor('keys');
      await open({ schema, replicaId: 'a' }).start();
      const other = generateKeyPairSync('ed25519');
      const stranger = open({ schema, replicaId: 'b', signing: { key: { ...other, id: keyId(other.publicKey) }, everySeconds: 3_600 } });
      await expect(stranger.start()).rejects.toThrow(AuditKeyMismatch);
      await expect(stranger.start()).rejects.toThrow(new RegExp(`audit signing key \\(id ${keyId(other.publicKey)}\\) is not the one .* \\(id ${KEY.id}, claimed by replica a\\)`));
      await expect(open({ schema, replicaId: 'c' }).start()).resolves.toBeUndefined();
    });
  });

  describe('one live process per replica chain', () => {
    it('refuses a second process on a chain while the first lives, and takes the chain back when its connection is lost', async () => {
      const schema = schemaFor('claims');
      const first = open({ schema, replicaId: 'a' });
      await first.start();
      await expect(open({ schema, replicaId: 'a' }).start()).rejects.toThrow(ReplicaIdInUse);
      await expect(open({ schema, replicaId: 'a' }).start()).rejects.toThrow(/another live replica appends to the audit chain a in schema jg_\w+; every replica needs its own \(JG_REPLICA_ID/);
      await expect(open({ schema, replicaId: 'b' }).start()).resolves.toBeUndefined();

      // PostgreSQL drops the connection holding the claim: the first takes it again, and still holds it.
      const holder = (replica: string) =>
        admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`jointgraph chain ${replica}`]).then((r) => r.rows.map((row) => row.pid));
      const [pid] = await holder('a');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await vi.waitFor(async () => expect((await holder('a')).filter((p) => p !== pid)).toHaveLength(1), { timeout: 10_000, interval: 200 });
      await expect(open({ schema, replicaId: 'a' }).start()).rejects.toThrow(ReplicaIdInUse);
      await first.append(accessRecord(1));

      await first.close();
      await expect(open({ schema, replicaId: 'a' }).start()).resolves.toBeUndefined();
    }, 30_000);
  });

  describe('bounds', () => {
    it('fails only the record PostgreSQL cannot store (a NUL character), not the batch it was written with', async () => {
      const trail = open({ schema: schemaFor('nul'), replicaId: 'a' });
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => trail.append(i === 3 ? { ...accessRecord(i), purpose: 'tax-inspection/CASE-\u0000' } : accessRecord(i))));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(AuditTrailUnavailable);
      expect(await trail.verify()).toMatchObject({ ok: true, records: 7 });
    });

    it('fails appends past the queue bound at once, with a code, and writes the rest', async () => {
      const trail = open({ schema: schemaFor('bounded'), replicaId: 'a', maxQueued: 10 });
      const appends = Array.from({ length: 12 }, (_, i) => trail.append(accessRecord(i)));
      const settled = await Promise.allSettled(appends);
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(10);
      expect(settled.slice(10).map((s) => s.status === 'rejected' && (s.reason as AuditTrailUnavailable).code)).toEqual(['SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);
    });

    /** How two appends end, with a 500 ms bound on connecting and on each statement; a hang fails the test by its timeout. */
    const appendsEnd = async (connectionString: string) => {
      const trail = openPostgresAuditTrail({ connectionString, schema: 'unused', replicaId: 'a', timeoutMs: 500 });
      const outcome = await Promise.all([trail.append(accessRecord(1)), trail.append(accessRecord(2))]).then(() => 'written', (error: AuditTrailUnavailable) => error.code);
      await trail.close().catch(() => undefined);
      return outcome;
    };

    it('keeps writing records while searches wait on the store: reads never take the writers’ connections', async () => {
      const schema = schemaFor('reads');
      const trail = open({ schema, replicaId: 'a' });
      await trail.start();
      // Reads of the decision chain wait behind a lock an auditor's long query could as well hold.
      const locker = await admin.connect();
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${schema}.decision_record IN ACCESS EXCLUSIVE MODE`);
      const reads = Array.from({ length: 6 }, () => trail.recentDecisions(1).then(() => 'read', (error: Error) => error.message));
      try {
        // Every connection the trail reads on is now waiting on the lock.
        const waiting = async () => (await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`%${schema}.decision_record%`],
        )).rows[0]!.n;
        await vi.waitFor(async () => expect(await waiting()).toBe(2), { timeout: 5_000, interval: 50 });
        const stored = await Promise.all([1, 2, 3].map((i) => trail.append(accessRecord(i))));
        expect(stored.map((r) => r.seq)).toEqual([1, 2, 3]);
        await expect(trail.ping()).resolves.toBeUndefined();
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      expect(await Promise.all(reads)).toEqual(reads.map(() => 'read'));
    });

    it('rejects appends when nothing listens on the port, never hangs', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      expect(await appendsEnd(`postgres://postgres@127.0.0.1:${port}/test`)).toBe('NOT_READY');
    });

    it('rejects appends when the server accepts but never answers, within the connect timeout', async () => {
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => void sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      try {
        expect(await appendsEnd(`postgres://postgres@127.0.0.1:${port}/test`)).toBe('NOT_READY');
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});
