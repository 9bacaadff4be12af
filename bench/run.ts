// `npm run bench`: JointGraph against the JavaScript federation gateways on the same subgraphs
// and queries; writes results.json, RESULTS.md and two SVG charts. `npm run bench -- --smoke`
// checks correctness and subgraph request counts (plus a short load burst) with the fewest
// contenders and workloads that take every path of the harness, for CI.
// `npm run bench -- --replicas` measures replicas on shared state instead (bench/replicas.ts).
// Flags: --smoke, --out DIR (default bench/results, or a temporary directory for --smoke),
//        --only ID[,ID] (workload ids or prefixes, e.g. s1,s3), --contenders ID[,ID] (e.g. jointgraph,apollo), --no-pin

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDriver } from './harness/driver.ts';
import { pinToCore } from './measure/child.ts';
import { runDomain } from './harness/run-domain.ts';
import { SMOKE_CONTENDERS } from './plan/contenders.ts';
import { DOMAINS, SMOKE_FANOUT_ARGS, type DomainId } from './plan/domains.ts';
import { workloads } from './plan/workloads.ts';
import { markdownReport } from './report/markdown.ts';
import { METHOD_NOTES } from './report/method-notes.ts';
import type { BenchResults, WorkloadResult } from './report/results.ts';
import { fanOutChart, throughputChart } from './report/svg-chart.ts';

if (process.argv.includes('--replicas')) {
  await import('./replicas.ts');
  process.exit(0);
}

const { values } = parseArgs({ options: { smoke: { type: 'boolean' }, out: { type: 'string' }, only: { type: 'string' }, contenders: { type: 'string' }, 'no-pin': { type: 'boolean' } } });
const smoke = values.smoke ?? false;
const out = values.out ?? (smoke ? mkdtempSync(join(tmpdir(), 'jointgraph-bench-smoke-')) : new URL('./results/', import.meta.url).pathname);
// Timings are only measured in full runs; pinning needs two cores and taskset.
const pin = !smoke && !values['no-pin'] && cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
const [SUBGRAPH_CPU, GATEWAY_CPU] = pin ? [0, 1] : [undefined, undefined];
const only = values.only?.split(',').filter(Boolean);
const contenders = values.contenders?.split(',').filter(Boolean) ?? (smoke ? SMOKE_CONTENDERS : undefined);

const started = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'jointgraph-bench-'));
mkdirSync(out, { recursive: true });
if (pin) pinToCore(process.pid, SUBGRAPH_CPU!);
const log = (line: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s ${line}`);
log(`${smoke ? 'smoke' : 'full'} run; logs and supergraphs in ${dir}; results to ${out}`);

const planned = workloads(smoke).filter((w) => !only || only.some((o) => w.id.startsWith(o)));
const driver = await startDriver(dir, SUBGRAPH_CPU);
const results: WorkloadResult[] = [];
const failures: string[] = [];
try {
  for (const id of ['standard', 'sample', 'fanout'] as DomainId[]) {
    const domainWorkloads = planned.filter((w) => w.domain === id);
    if (domainWorkloads.length === 0) continue;
    try {
      results.push(
        ...(await runDomain({
          domain: DOMAINS[id],
          workloads: domainWorkloads,
          placement: { dir, gatewayCpu: GATEWAY_CPU, parkCpu: SUBGRAPH_CPU },
          driver,
          ...(contenders ? { contenders } : {}),
          ...(smoke && id === 'fanout' ? { subgraphArgs: SMOKE_FANOUT_ARGS } : {}),
          log,
        })),
      );
    } catch (error) {
      failures.push(`The ${id} domain could not run: ${(error as Error).message}`);
      log(failures.at(-1)!);
    }
  }
} finally {
  await driver.stop();
}

const version = (pkg: string, base = '../') => (JSON.parse(readFileSync(new URL(`${base}node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
const core = (cpu: number | undefined) => (cpu === undefined ? 'any core' : `core ${cpu}`);
const report: BenchResults = {
  mode: smoke ? 'smoke' : 'full',
  startedAt: new Date(started).toISOString(),
  elapsedS: (Date.now() - started) / 1000,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  placement: {
    pinned: pin,
    gateway: `${core(GATEWAY_CPU)}, alone (the gateways not being measured wait on ${core(SUBGRAPH_CPU)})`,
    subgraphs: core(SUBGRAPH_CPU),
    loadDriver: core(SUBGRAPH_CPU),
    harness: core(SUBGRAPH_CPU),
  },
  versions: {
    jointgraph: `commit ${spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'unknown'}`,
    '@apollo/gateway': version('@apollo/gateway'),
    '@apollo/server': version('@apollo/server'),
    '@graphql-hive/gateway': version('@graphql-hive/gateway'),
    '@mercuriusjs/gateway': (() => { try { return version('@mercuriusjs/gateway', './gateways/mercurius/'); } catch { return 'not installed'; } })(),
    '@graphql-tools/federation': version('@graphql-tools/federation'),
    mercurius: version('mercurius'),
    graphql: version('graphql'),
    autocannon: version('autocannon'),
  },
  workloads: results,
  notes: [...failures, ...METHOD_NOTES],
};
writeFileSync(join(out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'RESULTS.md'), markdownReport(report));
writeFileSync(join(out, 'throughput.svg'), throughputChart(report));
writeFileSync(join(out, 'fanout.svg'), fanOutChart(report));
log(`done in ${report.elapsedS.toFixed(0)} s: ${join(out, 'RESULTS.md')}`);
if (failures.length > 0) process.exitCode = 1;
