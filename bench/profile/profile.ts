// Profiles JointGraph under scenario 1's load (`node --cpu-prof`, gateway alone on core 1), plain
// or with labels/authz/audit, and writes its self time by package and function to
// bench/results/profile-<config>.md. Usage: npx tsx bench/profile/profile.ts [--seconds 10] [--authz]

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GatewayReady } from '../kit/ready-line.ts';
import { loneCheck } from '../harness/check-correctness.ts';
import { startDriver } from '../harness/driver.ts';
import { gatewayTarget, measureLoad } from '../harness/measure-load.ts';
import { startSubgraphProcess } from '../harness/subgraph-process.ts';
import { pinToCore, spawnChild, TSX } from '../measure/child.ts';
import { CONTENDERS } from '../plan/contenders.ts';
import { DOMAINS } from '../plan/domains.ts';
import { STANDARD_EXPECTED, STANDARD_QUERY } from '../standard/standard-subgraphs.ts';
import { selfTimes, stageTimes, type CpuProfile, type SelfTime } from './analyse-profile.ts';

/** The stages of a JointGraph request worth timing (inclusive), by a frame that marks each. */
const STAGES = [
  ['GraphQL-over-HTTP handler (inclusive of everything below)', 'runOperation '],
  ['authentication (API key, grants in force)', 'supergraph/identity/authenticate.ts'],
  ['request authorization: verdicts and scope', 'get scope '],
  ['plan execution (Hive Router runtime)', 'executeQueryPlan '],
  ['  of which projecting the answer', 'projectDataByOperation '],
  ['provider calls (undici pool, one parse per answer)', 'send supergraph/execution/provider-client.ts'],
  ['shield over released values', 'releaseUnderShield '],
  ['settling denials', 'settleDenials '],
  ['quality observation (walkResponse for observeResponse)', 'observeResponse '],
  ['audit: returned coordinates', 'returnedCoordinates '],
  ['audit: SQLite append', 'sqliteTransaction '],
  ['garbage collector', '(garbage collector)'],
] as const;

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, authz: { type: 'boolean' } } });
const config = values.authz ? 'authz' : 'plain';
const dir = mkdtempSync(join(tmpdir(), 'jointgraph-profile-'));
pinToCore(process.pid, 0);

const subgraphs = await startSubgraphProcess(DOMAINS.standard, dir, 0);
const driver = await startDriver(dir, 0);
const entry = new URL('../gateways/jointgraph-gateway.ts', import.meta.url).pathname;
const { labels, apps, plan } = DOMAINS.standard.authorization;
const planFile = join(dir, 'grants.json');
writeFileSync(planFile, JSON.stringify({ ...plan, withhold: [] }));
const authzArgs = values.authz ? ['--grants', planFile, '--labels', labels, '--apps', apps] : [];
const spawnedAt = performance.now();
const gateway = await spawnChild<GatewayReady>(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...TSX, entry, '--supergraph', subgraphs.ready.supergraphFile, ...authzArgs], {
  cpu: 1,
  logFile: join(dir, 'gateway.log'),
});
const headers: Record<string, string> = values.authz ? { 'x-api-key': plan.apiKey, 'x-jointgraph-purpose': plan.purpose } : {};
const running = { contender: CONTENDERS.find((c) => c.id === (values.authz ? 'jointgraph-authz-cache' : 'jointgraph-plain'))!, pid: gateway.pid, url: gateway.ready.url, headers, exitReason: () => null, stop: gateway.stop };
const body = JSON.stringify({ query: STANDARD_QUERY });
const lone = await loneCheck(running, [{ request: { title: 'standard', query: STANDARD_QUERY }, body, expected: { data: STANDARD_EXPECTED.data, forbidden: [] } }], subgraphs, { supergraphSdl: '', capture: false });
if (!lone.check.correct) throw new Error(`JointGraph answered wrongly: ${lone.check.problem}`);
const loadStartedAt = performance.now();
const run = await measureLoad([gatewayTarget(running, [body], lone, 10)], { connections: 10, durationS: Number(values.seconds), repeats: 1, timeoutS: 20, busyRetries: 0 }, {
  driver, subgraphs, pid: gateway.pid, repeat: 1, perClientRequest: 1, ourPids: () => [process.pid, driver.pid, subgraphs.child.pid, gateway.pid], idlePids: () => [],
});
await gateway.stop();
await driver.stop();
await subgraphs.child.stop();

// CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader hooks run on another).
const file = readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
if (!file) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
const { totalMs, functions, packages } = selfTimes(profile, 30, loadStartedAt - spawnedAt);
const stages = stageTimes(profile, STAGES, loadStartedAt - spawnedAt);
const table = (rows: SelfTime[], time = 'self time') =>
  [`| ${time} | share | where |`, '|---|---|---|', ...rows.map((r) => `| ${r.ms.toFixed(0)} ms | ${(r.share * 100).toFixed(1)}% | \`${r.name}\` |`)].join('\n');
const results = new URL('../results/', import.meta.url).pathname;
mkdirSync(results, { recursive: true });
const out = join(results, `profile-${config}.md`);
writeFileSync(out, [
  `# JointGraph (${values.authz ? 'labels/authz/audit, all grants' : 'plain'}) CPU profile, scenario 1 (generated by bench/profile/profile.ts)`,
  '',
  `${values.seconds} s of load at 10 connections: ${run.rps.toFixed(1)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.subgraphRequestsPerRequest.toFixed(2)} subgraph requests per request; other processes used ${(run.foreignCpu * 100).toFixed(0)}% of the machine.`,
  `Busy (non-idle) CPU time sampled in the gateway process from the start of the load (start-up left out): ${totalMs.toFixed(0)} ms.`,
  '',
  '## Inclusive time by stage',
  '',
  table(stages, 'inclusive time'),
  '',
  '## Self time by package',
  '',
  table(packages),
  '',
  '## Self time by function',
  '',
  table(functions),
  '',
].join('\n'));
console.log(`profile: ${join(dir, file)}; summary: ${out}`);
