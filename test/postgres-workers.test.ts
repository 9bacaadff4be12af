// server.workers: `jointgraph serve --config` with two workers on one port. Connections go to
// both; each worker keeps a chain of its own in the shared audit trail, and the trail verifies
// across them; the fair-use counters are shared (Redis), so an app's limit is the limit, not the
// limit per worker; a killed worker is started again while the other keeps serving; and a
// configuration asking for workers without the stores they share is refused.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/measure/child.ts';
import { platformKeys, startSampleProviders } from '../server/sample-platform.ts';
import type { RunningProvider } from '../subgraphs/index.ts';
import { openSigningKey } from '../supergraph/audit/index.ts';
import { callerKeyFile, exportCallerKey } from '../supergraph/execution/index.ts';
import { APPS } from './support/authorization.ts';
import { SMALL_CITY, tempDataDir } from './support/platform.ts';
import { POSTGRES_URL, postgresForTests } from './support/postgres.ts';
import { watchOutput } from './support/process-output.ts';

const postgresAvailable = await postgresForTests('test/postgres-workers.test.ts');
// A Redis database of this file's own: its fair-use counters are cleared before it starts.
const REDIS_URL = 'redis://127.0.0.1:6379/7';

/** Whether Redis answers; the shared-state files that need it say so and are skipped without it (redis-replicas fails under JG_REQUIRE_SERVICES=1). */
async function redisReady(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const stale = await redis.keys('jointgraph:rate:*');
    if (stale.length > 0) await redis.del(...stale);
    return true;
  } catch {
    console.warn(`test/postgres-workers.test.ts: no Redis answers at ${REDIS_URL}; the workers' tests are skipped.`);
    return false;
  } finally {
    redis.disconnect();
  }
}
const servicesAvailable = postgresAvailable && (await redisReady());
const CLI = new URL('../cli/jointgraph.mjs', import.meta.url).pathname;
const QUERY = '{ enterprises(first: 1) { name } }';
const OPERATOR = 'jg-admin-operator';

/** One request on a connection of its own (no keep-alive): each may go to another worker. */
function post(port: number, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject).end(payload);
  });
}

async function admin(port: number, query: string) {
  return new Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>((resolve, reject) => {
    const payload = JSON.stringify({ query });
    const req = request({ host: '127.0.0.1', port, path: '/admin/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject).end(payload);
  });
}

describe.runIf(servicesAvailable)('two gateway workers on one port', () => {
  const schema = `jg_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const dataDir = tempDataDir();
  let providers: RunningProvider[] = [];
  let gateway: ChildProcess;
  let port: number;

  beforeAll(async () => {
    // The keys the providers trust and the audit key exist before the gateway starts, as in production.
    const { key } = await callerKeyFile(join(dataDir, 'data', 'keys', 'gateway-signing.jwk'));
    openSigningKey(join(dataDir, 'data', 'keys', 'audit-signing.pem'));
    const { trust } = await platformKeys({ callerJwk: await exportCallerKey(key), dataDir: join(dataDir, 'providers') });
    providers = await startSampleProviders({ host: '127.0.0.1', subgraphBasePort: 0, dataDir: join(dataDir, 'providers'), city: SMALL_CITY, trust });
    const configFile = join(dataDir, 'workers.yaml');
    writeFileSync(configFile, [
      'server: { host: 127.0.0.1, dataDir: ./data, workers: 2 }',
      'telemetry: { logLevel: silent }',
      // social-assistance has no limits of its own: these apply to it, across both workers.
      'fairUse: { requestsPerMinute: 20 }',
      'providers:',
      '  subgraphs:',
      ...providers.map((p) => `    - { name: ${p.name}, url: ${JSON.stringify(p.url)} }`),
      'authorization:',
      `  appsFile: ${JSON.stringify(new URL('../supergraph/apps.json', import.meta.url).pathname)}`,
      `  labelsFile: ${JSON.stringify(new URL('../supergraph/labels.json', import.meta.url).pathname)}`,
    ].join('\n'));
    port = await freePort();
    gateway = spawn(process.execPath, [CLI, 'serve', '--config', configFile], {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env, JG_PORT: String(port), JG_REPLICA_ID: 'workers-test', JG_POSTGRES_URL: POSTGRES_URL, JG_POSTGRES_SCHEMA: schema, JG_REDIS_URL: REDIS_URL,
      },
    });
    await watchOutput(gateway).printed(/2 gateway workers on one port/, 'the gateway workers did not start');
  }, 120_000);

  afterAll(async () => {
    if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
      gateway.kill('SIGTERM');
      await once(gateway, 'exit');
    }
    await Promise.all(providers.map((p) => p.close()));
    if (!postgresAvailable) return;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await client.end();
  });

  it('serves through both workers, each on a chain of its own, and the trail verifies across them', async () => {
    const answers = await Promise.all(Array.from({ length: 24 }, () => post(port, { 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-3' }, { query: QUERY })));
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
    const found = await admin(port, '{ accessRecords(purpose: "tax-inspection/CASE-3", last: 100) { replica } }');
    expect(found.errors).toBeUndefined();
    const replicas = new Set((found.data!.accessRecords as { replica: string }[]).map((r) => r.replica));
    expect([...replicas].sort()).toEqual(['workers-test/w0', 'workers-test/w1']);
    const verified = await admin(port, '{ verifyAuditTrail { ok records } }');
    expect(verified.data!.verifyAuditTrail).toMatchObject({ ok: true });
  });

  it('counts an app’s fair use once across the workers: its limit is the limit, not the limit per worker', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => post(port, { 'x-api-key': APPS.assistance, 'x-jointgraph-purpose': 'assistance-review/CASE-4' }, { query: QUERY })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect(answers.find((a) => a.status === 429)!.body.errors![0]!.extensions!.code).toBe('RATE_LIMITED');
  });

  it('starts a killed worker again while the other keeps serving', async () => {
    const output = watchOutput(gateway);
    const pids = gateway.pid ? await workerPids(gateway.pid) : [];
    expect(pids).toHaveLength(2);
    process.kill(pids[0]!, 'SIGKILL');
    // Once the primary knows, it hands new connections to the worker left (one handed over in the
    // instant before is lost with the worker, as on any machine that dies).
    await output.printed(/gateway worker \d \(pid \d+\) exited \(SIGKILL\); starting it again/, 'the killed worker was not started again');
    const served = await post(port, { 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-3' }, { query: QUERY });
    expect(served.status).toBe(200);
    await output.printed(/gateway worker \d+ is serving again/, 'the killed worker did not serve again');
    await expect.poll(async () => (await workerPids(gateway.pid!)).length, { timeout: 30_000, interval: 250 }).toBe(2);
  }, 60_000);
});

/** The worker processes of a primary: its children running node. */
async function workerPids(primary: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=', '--ppid', String(primary)]);
  return stdout.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
}

describe('server.workers above 1', () => {
  const refused = async (yaml: string) => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'workers.yaml'), yaml);
    const result = await promisify(execFile)(process.execPath, [CLI, 'serve', '--config', join(dir, 'workers.yaml')], { cwd: dir }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    return result.stderr;
  };

  it('is refused without the stores workers share, naming what is missing', async () => {
    expect(await refused('server: { workers: 2 }\nproviders: { subgraphs: [{ name: tax, url: "http://127.0.0.1:1/graphql" }] }\n'))
      .toMatch(/^\[CONFIG_INVALID\] .*server\.workers: expected 1 without stores\.postgres and stores\.redis, got "2"/);
  });

  it('is refused for the sample platform, which runs one gateway under its supervisor', async () => {
    expect(await refused(`server: { workers: 2 }\nproviders: { sample: true }\nstores: { postgres: ${JSON.stringify(POSTGRES_URL)}, redis: ${JSON.stringify(REDIS_URL)} }\n`))
      .toMatch(/^\[CONFIG_INVALID\] .*server\.workers: expected 1 with providers\.sample \(the sample platform runs one gateway under its supervisor\), got "2"/);
  });
});
