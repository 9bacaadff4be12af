// bench/results/RESULTS.md: the run's conditions, where the targets stand, one table per
// workload (every figure with its subgraph requests per request beside it) and fan-out against N.

import type { BenchResults, ContenderResult, WorkloadResult } from './results.ts';
import { summarise } from './summarise.ts';
import { judgeTargets } from './targets.ts';

const n0 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(0));
const n1 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(1));
/** Milliseconds: whole above 10, one decimal below. */
const ms = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(x >= 10 ? 0 : 1));
const ratio = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);

function row(w: WorkloadResult, c: ContenderResult): string {
  const lone = c.lone ? `${n1(c.lone.subgraphRequests)} / ${n0(c.lone.representations)}` : '—';
  const s = summarise(w, c);
  if (!s) return `| ${c.label} | ${c.status === 'checked' ? 'correct' : c.status}${c.note ? `: ${c.note.slice(0, 140)}` : ''} | | | | | | | | | ${lone} |`;
  const rps = `${n1(s.rps.median)} (${n1(s.rps.min)}–${n1(s.rps.max)})${s.valid ? '' : ' ⚠ invalid runs'}${s.busy ? ` ⚠ busy machine (${(s.foreignCpu * 100).toFixed(0)}% used by other processes)` : ''}${s.excludedRounds ? ` (${s.excludedRounds} round${s.excludedRounds > 1 ? 's' : ''} left out: busy machine)` : ''}`;
  const rounds = s.vsBaselineRounds.length > 1 ? ` (${s.vsBaselineRounds.map((r) => r.toFixed(2)).join(', ')})` : '';
  return `| ${c.label} | ${rps} | ${ratio(s.vsBaseline)}${rounds} | ${ratio(s.vsOurs)} | ${s.cpuMsPerRequest === null ? '—' : s.cpuMsPerRequest.toFixed(2)} | ${ms(s.p50)} | ${ms(s.p99)} | ${n0(s.peakRssMb)} | ${n1(s.subgraphRequestsPerRequest)} | ${n0(s.representationsPerRequest)} | ${lone} |`;
}

function workloadTable(w: WorkloadResult): string {
  const load = w.load ? `${w.load.repeats} × ${w.load.durationS} s, ${w.load.connections} connections${w.load.amount ? `, at most ${w.load.amount} requests` : ''}` : 'correctness and request counts only';
  return [
    `### ${w.id}: ${w.title}`,
    '',
    `Queries: ${w.queries.join('; ')}. Load: ${load}.`,
    '',
    '| gateway | req/s median (min–max) | × Apollo GW (per round) | × JG-plain | CPU ms / req | p50 ms | p99 ms | peak RSS MiB | subgraph req / req (load) | representations / req (load) | lone request: subgraph req / representations |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...w.contenders.map((c) => row(w, c)),
    '',
  ].join('\n');
}

function fanOutTable(results: BenchResults): string {
  const fan = results.workloads.filter((w) => w.scenario === 3);
  if (fan.length === 0) return '';
  const ids = fan[0]!.contenders.filter((c) => c.status !== 'not-run').map((c) => c.id);
  const cell = (w: WorkloadResult, id: string) => {
    const c = w.contenders.find((x) => x.id === id)!;
    const s = summarise(w, c);
    const requests = c.lone ? n1(c.lone.subgraphRequests) : '—';
    return c.status === 'incorrect' || c.status === 'failed' ? `${c.status}` : `${s ? ms(s.p50) : '—'} ms · ${requests} req`;
  };
  return [
    '## Fan-out against N (scenario 3): p50 latency · subgraph requests per lone request',
    '',
    `| gateway | ${fan.map((w) => `N = ${w.n}`).join(' | ')} |`,
    `|---|${fan.map(() => '---').join('|')}|`,
    ...ids.map((id) => `| ${fan[0]!.contenders.find((c) => c.id === id)!.label} | ${fan.map((w) => cell(w, id)).join(' | ')} |`),
    '',
  ].join('\n');
}

/** How busy the machine was over every measured round, and how many rounds were left out for it. */
function machineState(results: BenchResults): string {
  const runs = results.workloads.flatMap((w) => w.contenders.flatMap((c) => c.runs));
  if (runs.length === 0) return 'Machine state: no rounds measured.';
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const loads = runs.map((r) => r.loadAverage);
  const excluded = runs.filter((r) => r.excluded).length;
  return `Machine state over the ${runs.length} rounds: other processes used up to ${pct(Math.max(...runs.map((r) => r.foreignCpu)))} of the machine, steal up to ${pct(Math.max(...runs.map((r) => r.steal)))}, 1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ${excluded} round${excluded === 1 ? '' : 's'} left out as run on a busy machine.`;
}

export function markdownReport(results: BenchResults): string {
  const targets = judgeTargets(results);
  return [
    `# JointGraph benchmark results (${results.mode} run)`,
    '',
    `Run ${results.startedAt}, ${results.elapsedS.toFixed(0)} s. Machine: ${results.machine.cpus} × ${results.machine.model}, ${results.machine.memoryGb} GiB, Node ${results.machine.node}.`,
    `Placement: ${results.placement.pinned ? 'pinned with taskset' : 'not pinned'} — gateway under test: ${results.placement.gateway}; subgraphs: ${results.placement.subgraphs}; load driver (autocannon): ${results.placement.loadDriver}; harness: ${results.placement.harness}.`,
    `Versions: ${Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    machineState(results),
    '',
    'Every figure is a median over the repeats with (min–max); ratios are taken within the same round and their median shown, with each round’s ratio. ',
    '"CPU ms / req" is the gateway process’s user + system time (from /proc) over the window, divided by the requests it answered: it moves far less than req/s on a shared machine. ',
    '"subgraph req / req" is counted at the subgraphs over the whole measurement and divided by the client requests sent; ',
    'the last column is the same count for one lone request. Peak RSS is the gateway process’s VmHWM within the measurement window.',
    'A round during which other processes used more than 10 % of the machine, or the hypervisor stole more than 5 %, was run again (twice at most) and, still busy, left out of every figure; results.json keeps it, with the load average.',
    'Where JointGraph’s time goes: `PROFILE.md` (CPU profile by `npx tsx bench/profile/profile.ts`). Charts: `throughput.svg`, `fanout.svg`.',
    '',
    '## Targets',
    '',
    '| target | status | figures |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.status} | ${t.detail} |`),
    '',
    '## Workloads',
    '',
    ...results.workloads.map(workloadTable),
    fanOutTable(results),
    results.notes.length ? ['## Notes', '', ...results.notes.map((n) => `- ${n}`), ''].join('\n') : '',
  ].join('\n');
}
