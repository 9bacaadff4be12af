// The targets, judged from one run's results and stated with the numbers behind each:
// where JointGraph stands, met or not.

import type { ContenderId } from '../plan/contenders.ts';
import type { BenchResults, WorkloadResult } from './results.ts';
import { find, roundRatio, roundRatios, summarise } from './summarise.ts';

export interface TargetVerdict {
  target: string;
  status: 'met' | 'not met' | 'not measured';
  detail: string;
}

const fmt = (x: number) => `${x.toFixed(2)}×`;

function ratioTarget(results: BenchResults, target: string, id: ContenderId, against: ContenderId, atLeast: number, scope: (w: WorkloadResult) => boolean): TargetVerdict {
  const found = results.workloads.filter((w) => scope(w) && w.load).map((w) => ({ w, ratio: roundRatio(find(w, id)?.runs ?? [], find(w, against)?.runs) }));
  const measured = found.filter((f): f is { w: WorkloadResult; ratio: number } => f.ratio !== null);
  if (measured.length < found.length || measured.length === 0) return { target, status: 'not measured', detail: 'a contender has no valid runs' };
  // The work behind each figure: CPU ms and subgraph requests per client request under load, ours vs theirs.
  const work = (w: WorkloadResult, c: ContenderId) => {
    const entry = find(w, c);
    const s = entry && summarise(w, entry);
    return s ? { cpu: s.cpuMsPerRequest === null ? '—' : s.cpuMsPerRequest.toFixed(2), requests: s.subgraphRequestsPerRequest.toFixed(1) } : { cpu: '—', requests: '—' };
  };
  const rounds = (w: WorkloadResult) => roundRatios(find(w, id)?.runs ?? [], find(w, against)?.runs).map((r) => r.toFixed(2)).join(', ');
  return {
    target,
    status: measured.every((f) => f.ratio >= atLeast) ? 'met' : 'not met',
    detail: measured
      .map((f) => {
        const [ours, theirs] = [work(f.w, id), work(f.w, against)];
        return `${f.w.id}: ${fmt(f.ratio)} (rounds ${rounds(f.w)}; CPU ms/req ${ours.cpu} vs ${theirs.cpu}; subgraph req/req under load ${ours.requests} vs ${theirs.requests})`;
      })
      .join('; '),
  };
}

function fanOutFlat(results: BenchResults): TargetVerdict {
  const target = 'fan-out: subgraph requests per request constant in N';
  const fan = results.workloads.filter((w) => w.scenario === 3);
  const configs: ContenderId[] = ['jointgraph-plain', 'jointgraph-deployed', 'jointgraph-authz-partial'];
  const rows = configs.map((id) => ({ id, counts: fan.map((w) => find(w, id)?.lone?.subgraphRequests ?? null) }));
  if (fan.length < 2 || rows.some((r) => r.counts.includes(null))) return { target, status: 'not measured', detail: 'fewer than two N values checked' };
  const flat = rows.every((r) => new Set(r.counts).size === 1);
  const ns = fan.map((w) => w.n).join('/');
  return { target, status: flat ? 'met' : 'not met', detail: rows.map((r) => `${r.id}: ${r.counts.join('/')} for N = ${ns}`).join('; ') };
}

function memoryTarget(results: BenchResults): TargetVerdict {
  const target = 'peak RSS of JointGraph-plain no higher than Apollo Gateway’s';
  const pairs = results.workloads.flatMap((w) => {
    const ours = find(w, 'jointgraph-plain');
    const apollo = find(w, 'apollo');
    const a = ours && summarise(w, ours)?.peakRssMb;
    const b = apollo && summarise(w, apollo)?.peakRssMb;
    return typeof a === 'number' && typeof b === 'number' ? [{ id: w.id, ours: a, apollo: b }] : [];
  });
  if (pairs.length === 0) return { target, status: 'not measured', detail: 'no load runs' };
  const worse = pairs.filter((p) => p.ours > p.apollo);
  return {
    target,
    status: worse.length === 0 ? 'met' : 'not met',
    detail: pairs.map((p) => `${p.id}: ${p.ours.toFixed(0)} vs ${p.apollo.toFixed(0)} MiB`).join(', '),
  };
}

export function judgeTargets(results: BenchResults): TargetVerdict[] {
  const standard = (w: WorkloadResult) => w.id === 's1-standard';
  return [
    ratioTarget(results, 'JointGraph plain ≥ 5× Apollo Gateway req/s (standard query)', 'jointgraph-plain', 'apollo', 5, standard),
    ratioTarget(results, 'JointGraph as deployed ≥ 0.9× plain req/s (standard query)', 'jointgraph-deployed', 'jointgraph-plain', 0.9, standard),
    ratioTarget(results, 'JointGraph as deployed within 10% of plain (every scenario)', 'jointgraph-deployed', 'jointgraph-plain', 0.9, () => true),
    ratioTarget(results, 'JointGraph plain ≥ 1.6× Hive Gateway on the Hive Router runtime req/s (standard query)', 'jointgraph-plain', 'hive-router', 1.6, standard),
    ratioTarget(results, 'JointGraph as deployed ≥ 1.6× Hive Gateway on the Hive Router runtime req/s (standard query)', 'jointgraph-deployed', 'hive-router', 1.6, standard),
    fanOutFlat(results),
    memoryTarget(results),
  ];
}
