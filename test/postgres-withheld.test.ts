// PostgreSQL silent after committing a batch: the append fails past its timeout and the answer is
// withheld, but the record is in the chain. Once PostgreSQL answers again, a WITHHELD record names
// it, and the app is no recipient of what it never got. Against the PostgreSQL at 127.0.0.1:5432,
// through a path that can stop passing PostgreSQL's answers back; skipped where none answers.

import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditTrailUnavailable, openPostgresAuditTrail, WITHHELD } from '../supergraph/audit/index.ts';
import { accessRecord } from './support/audit-appender.ts';
import { POSTGRES_URL, postgresForTests } from './support/postgres.ts';

const available = await postgresForTests('test/postgres-withheld.test.ts');

/** Forwards to PostgreSQL; while `silent`, what the client sends still arrives, PostgreSQL's answers do not. */
async function silencingPath() {
  const sockets = new Set<Socket>();
  const path = { port: 0, silent: false, close: async () => {} };
  const server = createServer((client) => {
    const upstream = connect(5432, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => (client.destroy(), upstream.destroy()));
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => void (path.silent || client.write(chunk)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  path.port = (server.address() as AddressInfo).port;
  path.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return path;
}

describe.skipIf(!available)('an answer withheld after PostgreSQL committed its record', () => {
  const schema = `jg_withheld_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('is followed by a WITHHELD record naming it once PostgreSQL answers again, and its app is no recipient', async () => {
    const path = await silencingPath();
    const trail = openPostgresAuditTrail({ connectionString: `postgres://postgres@127.0.0.1:${path.port}/test`, schema, replicaId: 'w', timeoutMs: 1_000, claimChain: false });
    try {
      await trail.start();
      const delivered = { ...accessRecord(0), appId: 'social-insurance-audit' };
      await trail.append(delivered);
      path.silent = true;
      const withheld = accessRecord(1);
      const failure = await trail.append(withheld).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(AuditTrailUnavailable);
      // Committed all the same: the record says 200 with the fields "returned".
      const rows = async () => (await admin.query(`SELECT seq, outcome, status, withholds FROM ${schema}.audit_record WHERE replica_id = 'w' ORDER BY seq`)).rows
        .map((r) => ({ seq: Number(r.seq), outcome: r.outcome, status: r.status, withholds: r.withholds === null ? null : Number(r.withholds) }));
      expect((await rows()).at(-1)).toEqual({ seq: 2, outcome: 'PARTIAL', status: 200, withholds: null });

      path.silent = false;
      expect(await trail.withheld(withheld, 503)).toBe(true);
      expect((await rows()).at(-1)).toEqual({ seq: 3, outcome: WITHHELD, status: 503, withholds: 2 });
      expect((await trail.recipients('Enterprise.taxCreditRating')).map((r) => r.seq)).toEqual([1]);
      expect(await trail.received(withheld.appId!, 'Enterprise.taxCreditRating')).toBe(false);
      expect(await trail.received(delivered.appId!, 'Enterprise.taxCreditRating')).toBe(true);
      // Asked again, nothing more is written: the record is withdrawn once.
      expect(await trail.withheld(withheld, 503)).toBe(false);
      expect((await trail.verify()).ok).toBe(true);
    } finally {
      await trail.close();
      await path.close();
    }
  });
});
