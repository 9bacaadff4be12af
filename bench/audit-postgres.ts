// The cost of a durable audit trail on PostgreSQL: appends and commits per second with 1, 2 and 4
// replicas appending at once (64 requests in flight each, each waiting for its record), for
//   - group commit: one chain per replica, one transaction per batch (the design);
//   - per record: the same trail with one transaction per record;
//   - shared chain: group commit, but every replica appends to one chain whose head row each batch
//     locks, the alternative the per-replica chains avoid.
// Every window starts on an empty schema; the modes take turns within each round. Replicas are trails
// in this one process (each with its own pool), the server is the PostgreSQL at --url.
// Usage: npx tsx bench/audit-postgres.ts [--seconds 10] [--rounds 3] [--url postgres://postgres@127.0.0.1:5432/test]

import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { linkRecords, openPostgresAuditTrail, recordRow, replicaGenesis, type AccessRecord } from '../supergraph/audit/index.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' }, url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' } } });
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const URL = values.url!;
const IN_FLIGHT = 64;
const MODES = ['group commit', 'per record', 'shared chain'] as const;
type Mode = (typeof MODES)[number];
const REPLICAS = [1, 2, 4];

const admin = new pg.Pool({ connectionString: URL, max: 2 });

const record = (): AccessRecord => ({
  at: new Date().toISOString(), appId: 'tax-inspection', department: 'tax', purpose: 'tax-inspection/CASE-2026-0042',
  operationHash: 'b'.repeat(64), returned: ['Enterprise.name', 'Enterprise.status', 'Enterprise.taxCreditRating', 'Person.district', 'Query.enterprise'],
  denied: ['Enterprise.taxArrears', 'Person.name'], providers: ['enterprise', 'population', 'tax'], entities: 2, outcome: 'PARTIAL', status: 200,
});

interface Appender {
  append(r: AccessRecord): Promise<unknown>;
  batches(): number;
  close(): Promise<void>;
}

/** One chain for all replicas: each batch locks its head row, so the replicas' batches commit one after another. */
function sharedChainAppender(schema: string): Appender {
  const pool = new pg.Pool({ connectionString: URL, max: 2 });
  const queue: { record: AccessRecord; done: () => void; failed: (e: Error) => void }[] = [];
  let writing: Promise<void> | undefined;
  let batches = 0;
  const write = async (records: AccessRecord[]) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const head = (await client.query(`SELECT seq, hash FROM ${schema}.audit_head WHERE replica_id = 'shared' FOR UPDATE`)).rows[0];
      const linked = linkRecords('shared', { seq: Number(head.seq), hash: head.hash }, records);
      const last = linked.at(-1)!;
      await client.query(`INSERT INTO ${schema}.audit_record SELECT * FROM jsonb_populate_recordset(NULL::${schema}.audit_record, $1)`, [JSON.stringify(linked.map(recordRow))]);
      await client.query(`UPDATE ${schema}.audit_head SET seq = $1, hash = $2 WHERE replica_id = 'shared'`, [last.seq, last.hash]);
      await client.query('COMMIT');
      batches += 1;
    } finally {
      client.release();
    }
  };
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, 512);
      await write(batch.map((p) => p.record)).then(() => batch.forEach((p) => p.done()), (e: Error) => batch.forEach((p) => p.failed(e)));
    }
    writing = undefined;
  };
  return {
    append: (r) => new Promise<void>((done, failed) => {
      queue.push({ record: r, done, failed });
      writing ??= new Promise((next) => setImmediate(next)).then(drain);
    }),
    batches: () => batches,
    close: async () => {
      await writing;
      await pool.end();
    },
  };
}

async function appenders(mode: Mode, schema: string, count: number): Promise<Appender[]> {
  // Opening a trail and reading through it creates the schema.
  const first = openPostgresAuditTrail({ connectionString: URL, schema, replicaId: 'r0' });
  await first.recent(1);
  await first.close();
  if (mode === 'shared chain') {
    await admin.query(`INSERT INTO ${schema}.audit_head VALUES ('shared', 0, $1)`, [replicaGenesis('shared').hash]);
    return Array.from({ length: count }, () => sharedChainAppender(schema));
  }
  return Array.from({ length: count }, (_, i) => {
    const trail = openPostgresAuditTrail({ connectionString: URL, schema, replicaId: `r${i}`, maxConnections: 2, ...(mode === 'per record' ? { maxBatch: 1 } : {}) });
    return { append: (r) => trail.append(r), batches: () => trail.stats().batches, close: () => trail.close() };
  });
}

const walSyncs = async () => Number((await admin.query('SELECT wal_sync FROM pg_stat_wal')).rows[0].wal_sync);

interface Window { appends: number; commits: number; walSyncs: number; p50: number; p99: number }

async function window(mode: Mode, replicas: number, seconds = SECONDS): Promise<Window> {
  const schema = `jg_audit_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const group = await appenders(mode, schema, replicas);
  const latencies: number[] = [];
  const syncsBefore = await walSyncs();
  const started = performance.now();
  const end = started + seconds * 1_000;
  await Promise.all(group.flatMap((a) => Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      await a.append(record());
      latencies.push(performance.now() - sent);
    }
  })));
  const elapsed = (performance.now() - started) / 1_000;
  const commits = group.reduce((sum, a) => sum + a.batches(), 0);
  await Promise.all(group.map((a) => a.close()));
  // A server process reports its WAL flushes when it goes idle or exits: read them once the pools are closed.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const syncs = (await walSyncs()) - syncsBefore;
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { appends: latencies.length / elapsed, commits: commits / elapsed, walSyncs: syncs / elapsed, p50: at(0.5), p99: at(0.99) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map<string, Window[]>();
const key = (mode: Mode, replicas: number) => `${mode}|${replicas}`;

// Warm-up (JIT, connections, caches), not counted.
for (const mode of MODES) await window(mode, 2, 2);

for (let round = 1; round <= ROUNDS; round++) {
  // The modes take turns, starting one later each round, so drift on a shared machine spreads over all.
  const order = MODES.map((_, i) => MODES[(i + round - 1) % MODES.length]!);
  for (const replicas of REPLICAS) {
    for (const mode of order) {
      const w = await window(mode, replicas);
      (results.get(key(mode, replicas)) ?? results.set(key(mode, replicas), []).get(key(mode, replicas))!).push(w);
      console.error(`round ${round}: ${mode}, ${replicas} replica(s): ${w.appends.toFixed(0)} appends/s, ${w.commits.toFixed(0)} commits/s, ${w.walSyncs.toFixed(0)} WAL flushes/s, p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms`);
    }
  }
}
await admin.end();

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const med = (mode: Mode, replicas: number, of: keyof Window) => median(results.get(key(mode, replicas))!.map((w) => w[of]));
console.log(`Medians of ${ROUNDS} rounds of ${SECONDS} s, ${IN_FLIGHT} appends in flight per replica.\n`);
console.log('| replicas | mode | appends/s | commits/s | records/commit | WAL flushes/s (server) | p50 ms | p99 ms |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
for (const replicas of REPLICAS) {
  for (const mode of MODES) {
    const appends = med(mode, replicas, 'appends');
    const commits = med(mode, replicas, 'commits');
    console.log(`| ${replicas} | ${mode} | ${fmt(appends)} | ${fmt(commits)} | ${(appends / commits).toFixed(1)} | ${fmt(med(mode, replicas, 'walSyncs'))} | ${med(mode, replicas, 'p50').toFixed(1)} | ${med(mode, replicas, 'p99').toFixed(1)} |`);
  }
}
console.log('\nRatios, round by round (same round, same replicas):\n');
console.log('| replicas | group commit / per record (appends/s) | group commit / shared chain (appends/s) |');
console.log('|---:|---|---|');
for (const replicas of REPLICAS) {
  const ratios = (other: Mode) => results.get(key('group commit', replicas))!.map((w, i) => w.appends / results.get(key(other, replicas))![i]!.appends);
  const show = (xs: number[]) => `${xs.map((x) => x.toFixed(1)).join(', ')} (median ${median(xs).toFixed(1)})`;
  console.log(`| ${replicas} | ${show(ratios('per record'))} | ${show(ratios('shared chain'))} |`);
}
