// `npm run bench -- --replicas`: JointGraph as an operator deploys it (`jointgraph serve --config`,
// labels, grants and the audit trail on) in front of the sample departments, measured three ways in
// the same run: one replica on SQLite state, one replica on shared state (PostgreSQL + Redis), and
// two replicas on that shared state, the load split between them. Reports answers per second and
// CPU milliseconds per answer (the gateways', and PostgreSQL's and Redis's) as ratios against the
// one SQLite replica, medians of rounds taken in rotated order. Writes bench/results/replicas.md.
// Flags: --rounds N (3), --seconds S (10), --connections C (32, split between the replicas), --out FILE

import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from './measure/child.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' }, out: { type: 'string' }, replicas: { type: 'boolean' } } });
const ROUNDS = Number(values.rounds ?? 3);
const SECONDS = Number(values.seconds ?? 10);
const CONNECTIONS = Number(values.connections ?? 32);
const OUT = values.out ?? new URL('./results/replicas.md', import.meta.url).pathname;
const POSTGRES = process.env.JG_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.JG_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const ROOT = new URL('../', import.meta.url).pathname;
const JOINTGRAPH = join(ROOT, 'cli/jointgraph.mjs');
const QUERY = JSON.stringify({ query: '{ enterprises(first: 5) { name status taxCreditRating } }' });
const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'jg-demo-tax-inspection', 'x-jointgraph-purpose': 'tax-inspection/BENCH-1' };

interface Setup {
  id: string;
  label: string;
  replicas: number;
  shared: boolean;
}

const SETUPS: Setup[] = [
  { id: 'sqlite-1', label: 'one replica, SQLite state', replicas: 1, shared: false },
  { id: 'shared-1', label: 'one replica, PostgreSQL + Redis state', replicas: 1, shared: true },
  { id: 'shared-2', label: 'two replicas, PostgreSQL + Redis state', replicas: 2, shared: true },
];

const started = Date.now();
const log = (line: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s ${line}`);
const dir = mkdtempSync(join(tmpdir(), 'jointgraph-bench-replicas-'));

/** A child in a process group of its own, resolved once its output says `ready`, with what it printed. */
async function startChild(args: string[], env: Record<string, string>, ready: RegExp, name: string): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 120_000;
  while (!ready.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  process.kill(-child.pid!, 'SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

/** CPU time (user + system, ms) the processes have used so far. */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: a backend that ended between the listing and the read.
    }
  }
  return (ticks * 1000) / 100;
}

/** Pids of the running servers whose executable name is `name` (postgres backends, redis-server). */
function serverPids(name: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
}

/** The pids of a process group (a gateway and anything it started). */
function groupPids(pgid: number): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]) === pgid;
    } catch {
      return false;
    }
  });
}

function config(name: string, providers: { name: string; url: string }[], port: number): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, [
    `server: { host: 127.0.0.1, port: ${port}, dataDir: ${JSON.stringify(join(dir, 'data'))} }`,
    'telemetry: { logLevel: silent }',
    'providers:',
    '  basePort: 0',
    '  subgraphs:',
    ...providers.map((p) => `    - { name: ${p.name}, url: ${JSON.stringify(p.url)} }`),
    'authorization:',
    '  mode: enforce',
    `  appsFile: ${JSON.stringify(join(ROOT, 'supergraph/apps.json'))}`,
    `  labelsFile: ${JSON.stringify(join(ROOT, 'supergraph/labels.json'))}`,
  ].join('\n'));
  return file;
}

interface Window {
  answers: number;
  errors: number;
  rate: number;
  gatewayCpuMs: number;
  storesCpuMs: number;
}

async function load(urls: string[], seconds: number): Promise<{ answers: number; errors: number; rate: number }> {
  const each = Math.max(1, Math.floor(CONNECTIONS / urls.length));
  const results = await Promise.all(urls.map((url) => autocannon({ url: `${url}/graphql`, method: 'POST', headers: HEADERS, body: QUERY, connections: each, duration: seconds })));
  const answers = results.reduce((n, r) => n + r['2xx'], 0);
  const errors = results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  return { answers, errors, rate: answers / seconds };
}

async function main(): Promise<void> {
  log(`state in ${dir}`);
  const providersConfig = join(dir, 'providers.yaml');
  // basePort 0: a free port for each provider.
  writeFileSync(providersConfig, `server: { dataDir: ${JSON.stringify(join(dir, 'data'))} }\nproviders: { host: 127.0.0.1, basePort: 0 }\n`);
  const providerStart = await startChild(['--import', import.meta.resolve('tsx'), join(ROOT, 'cli/providers.ts'), '--config', providersConfig], {}, /provider\(s\) answer calls/, 'the providers');
  const children: ChildProcess[] = [providerStart.child];
  try {
    // The supervisor's table: `provider  population  pid 31171   http://127.0.0.1:4401/graphql`.
    const providers = [...providerStart.output().matchAll(/^provider\s+(\S+)\s+pid \d+\s+(http\S+)/gm)].map(([, name, url]) => ({ name: name!, url: url! }));
    if (providers.length !== 5) throw new Error(`expected five providers:\n${providerStart.output()}`);
    const pool = new pg.Pool({ connectionString: POSTGRES, max: 1 });
    const rows: Record<string, Window[]> = Object.fromEntries(SETUPS.map((s) => [s.id, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = SETUPS.map((_, k) => SETUPS[(k + round) % SETUPS.length]!);
      for (const setup of order) {
        const schema = `jg_bench_${setup.id.replace('-', '_')}_${round}`;
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        const gateways: { child: ChildProcess; url: string }[] = [];
        for (let k = 0; k < setup.replicas; k++) {
          const port = await freePort();
          const env: Record<string, string> = { JG_STATE_DIR: join(dir, `state-${setup.id}-${round}-${k}`), JG_LOG_LEVEL: 'silent' };
          if (setup.shared) Object.assign(env, { JG_POSTGRES_URL: POSTGRES, JG_POSTGRES_SCHEMA: schema, JG_REDIS_URL: REDIS });
          const { child } = await startChild([JOINTGRAPH, 'serve', '--config', config(`${setup.id}-${k}`, providers, port)], env, /JointGraph gateway ready/, `${setup.id} replica ${k}`);
          children.push(child);
          gateways.push({ child, url: `http://127.0.0.1:${port}` });
        }
        const urls = gateways.map((g) => g.url);
        // Every field granted, from two providers: what is measured is a full answer, never a refusal.
        for (const url of urls) {
          const body = (await (await fetch(`${url}/graphql`, { method: 'POST', headers: HEADERS, body: QUERY })).json()) as { data?: { enterprises?: unknown[] }; errors?: unknown[] };
          if (body.errors || body.data?.enterprises?.length !== 5) throw new Error(`${setup.id}: the query is not answered in full: ${JSON.stringify(body).slice(0, 300)}`);
        }
        await load(urls, 3); // warm-up, not counted
        const pids = () => gateways.flatMap((g) => groupPids(g.child.pid!));
        const stores = () => [...serverPids('postgres'), ...serverPids('redis-server')];
        const [g0, s0] = [cpuMs(pids()), cpuMs(stores())];
        const measured = await load(urls, SECONDS);
        const [g1, s1] = [cpuMs(pids()), cpuMs(stores())];
        const window: Window = { ...measured, gatewayCpuMs: (g1 - g0) / Math.max(1, measured.answers), storesCpuMs: (s1 - s0) / Math.max(1, measured.answers) };
        rows[setup.id]!.push(window);
        log(`round ${round + 1} ${setup.label}: ${window.rate.toFixed(0)} answers/s, ${window.errors} errors, gateway ${window.gatewayCpuMs.toFixed(2)} CPU ms/answer, stores ${window.storesCpuMs.toFixed(2)}`);
        for (const g of gateways) await stopChild(g.child);
        if (setup.shared) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    }
    await pool.end();
    writeFileSync(OUT, report(rows));
    log(`wrote ${OUT}`);
  } finally {
    for (const child of children) await stopChild(child).catch(() => undefined);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function report(rows: Record<string, Window[]>): string {
  const base = rows['sqlite-1']!;
  const baseRate = median(base.map((w) => w.rate));
  const lines = [
    '# Replicas: JointGraph on SQLite state against shared state (PostgreSQL + Redis), one and two replicas',
    '',
    `\`npm run bench -- --replicas\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${ROUNDS} rounds of ${SECONDS} s per setup (rotated order, 3 s warm-up each),`,
    `${CONNECTIONS} connections in all (split between replicas), \`${JSON.parse(QUERY).query}\` as tax-inspection (labels, grants, audit on).`,
    'Everything shares this machine\'s 2 cores: the five providers, the replicas, PostgreSQL, Redis and the load driver.',
    'Stores CPU is every postgres and redis-server process on the machine (other work included).',
    '',
    '| setup | answers/s (median) | ratio to one SQLite replica | rounds | gateway CPU ms/answer | stores CPU ms/answer | errors |',
    '|---|---:|---:|---|---:|---:|---:|',
  ];
  for (const setup of SETUPS) {
    const windows = rows[setup.id]!;
    const rate = median(windows.map((w) => w.rate));
    lines.push(`| ${setup.label} | ${rate.toFixed(0)} | ${(rate / baseRate).toFixed(2)}× | ${windows.map((w) => w.rate.toFixed(0)).join(' / ')} | ${median(windows.map((w) => w.gatewayCpuMs)).toFixed(2)} | ${median(windows.map((w) => w.storesCpuMs)).toFixed(2)} | ${windows.reduce((n, w) => n + w.errors, 0)} |`);
  }
  return `${lines.join('\n')}\n`;
}

await main();
