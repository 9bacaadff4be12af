// One measurement: drive one gateway (or the providers directly) for one repeat, and read what
// it cost — throughput, latency, the gateway's peak RSS in that window, and the subgraph requests
// per client request counted at the subgraphs — and whether the machine was busy meanwhile.

import { loadavg } from 'node:os';

import type { CapturedRequest } from '../kit/subgraph-traffic.ts';
import type { LoadSpec, LoadTarget } from '../load/load-spec.ts';
import { cpuSnapshot, foreignShare, processTicks, stealShare, waitForQuiet } from '../measure/cpu-usage.ts';
import { peakRss, resetPeakRss } from '../measure/memory.ts';
import type { LoadShape } from '../plan/workloads.ts';
import type { LoadRun } from '../report/results.ts';
import type { LoneOutcome } from './check-correctness.ts';
import type { Driver } from './driver.ts';
import { trafficDelta, type SubgraphProcess } from './subgraph-process.ts';

/**
 * A round is run on a busy machine when processes other than the benchmark's took more than this
 * share of all cores (so the benchmark had less than 90 % of the CPU it was given) …
 */
export const BUSY_FOREIGN_SHARE = 0.1;
/** … or the hypervisor took more than this share (steal). */
export const BUSY_STEAL_SHARE = 0.05;

/** A gateway's target: the workload's requests, each with the answer its lone request verified. */
export function gatewayTarget(gateway: { url: string; headers: Record<string, string> }, bodies: string[], lone: LoneOutcome, connections: number): LoadTarget {
  return {
    url: gateway.url,
    headers: gateway.headers,
    connections,
    requests: bodies.map((body, i) => ({ body, expected: lone.expectations[i], verifiedText: lone.texts[i] })),
  };
}

/** JointGraph's captured plan, one autocannon target per subgraph, connections split by share. */
export function directTargets(captured: readonly CapturedRequest[], connections: number): LoadTarget[] {
  const byUrl = new Map<string, CapturedRequest[]>();
  for (const c of captured) byUrl.set(c.url, [...(byUrl.get(c.url) ?? []), c]);
  return [...byUrl].map(([url, requests]) => ({
    url,
    headers: {},
    connections: Math.max(1, Math.round((connections * requests.length) / captured.length)),
    requests: requests.map((r) => ({ body: r.body })),
  }));
}

export async function measureLoad(
  targets: LoadTarget[],
  shape: LoadShape,
  context: {
    driver: Driver; subgraphs: SubgraphProcess; pid: number | null; repeat: number; perClientRequest: number; ourPids: () => number[];
    /** The other gateways, parked: their CPU use is recorded to show they stayed idle. */
    idlePids: () => number[];
  },
): Promise<LoadRun> {
  const { driver, subgraphs, pid } = context;
  // A neighbour's burst (another test run) is waited out for a while, then measured and reported.
  await waitForQuiet(context.ourPids, { threshold: 0.1, windowMs: 200, maxWaitMs: shape.quietWaitMs ?? 15_000 });
  if (pid !== null) resetPeakRss(pid);
  const before = await subgraphs.stats();
  const cpuBefore = cpuSnapshot(context.ourPids());
  const idleBefore = context.idlePids().reduce((t, p) => t + processTicks(p), 0);
  const gatewayBefore = pid === null ? 0 : processTicks(pid);
  const spec: LoadSpec = { targets, durationS: shape.durationS, timeoutS: shape.timeoutS, ...(shape.amount ? { amount: shape.amount } : {}) };
  const result = await driver.run(spec);
  const cpuAfter = cpuSnapshot(context.ourPids());
  // CPU time of the gateway process (user + system, clock ticks of 10 ms) per answered request.
  const gatewayCpuMs = pid === null ? null : (processTicks(pid) - gatewayBefore) * 10;
  const foreignCpu = foreignShare(cpuBefore, cpuAfter);
  const steal = stealShare(cpuBefore, cpuAfter);
  const idleGatewaysCpu = (context.idlePids().reduce((t, p) => t + processTicks(p), 0) - idleBefore) / 100 / ((cpuAfter.at - cpuBefore.at) / 1000);
  const delta = trafficDelta(before, await subgraphs.settledStats([pid ?? subgraphs.child.pid]));
  // For the providers queried directly, one "client request" is the whole captured plan.
  const clientRequests = result.sent / context.perClientRequest;
  return {
    repeat: context.repeat,
    rps: result.rps / context.perClientRequest,
    p50: result.p50,
    p99: result.p99,
    peakRssMb: pid === null ? null : peakRss(pid),
    cpuMsPerRequest: gatewayCpuMs === null || result.completed === 0 ? null : gatewayCpuMs / result.completed,
    subgraphRequestsPerRequest: clientRequests ? delta.requests / clientRequests : 0,
    representationsPerRequest: clientRequests ? delta.representations / clientRequests : 0,
    completed: result.completed,
    sent: result.sent,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    ...(result.firstMismatch ? { firstMismatch: result.firstMismatch } : {}),
    foreignCpu,
    steal,
    loadAverage: loadavg()[0]!,
    busy: foreignCpu > BUSY_FOREIGN_SHARE || steal > BUSY_STEAL_SHARE,
    idleGatewaysCpu,
    valid: result.errors === 0 && result.timeouts === 0 && result.non2xx === 0 && result.mismatches === 0 && result.completed > 0,
  };
}
