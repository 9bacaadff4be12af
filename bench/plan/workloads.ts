// What is measured: each scenario as workloads (a domain, the queries a connection sends in
// turn, the latency added at every provider) and how long each is driven: windows of 10 s with
// 50 connections, 3 rounds in rotated order, after a warm-up. The smoke run checks scenario 1,
// the fan-out at two sizes and with latency (the sample domain's three README queries take the
// same paths as scenario 1's), and sends no load except one short burst per contender on
// scenario 1, which exercises the load path, without waiting for a quiet machine.

import { fanOutQuery, readmeQueries } from '../sample/readme-queries.ts';
import { STANDARD_EXPECTED, STANDARD_QUERY } from '../standard/standard-subgraphs.ts';
import type { DomainId } from './domains.ts';

export interface WorkloadRequest {
  title: string;
  query: string;
  /** The known answer; without one, Apollo Gateway's answer is the reference every gateway must match (never JointGraph's). */
  expected?: { data: unknown };
}

export interface LoadShape {
  connections: number;
  durationS: number;
  repeats: number;
  /** Bound by request count too (per repeat). */
  amount?: number;
  timeoutS: number;
  /** How long a neighbour's CPU burst is waited out before each measurement (default 15 s). */
  quietWaitMs?: number;
  /**
   * A round run on a busy machine is run again up to this many times, and left out of every
   * figure if it stays busy; 0: it is only flagged (the smoke run, which reports no speed).
   */
  busyRetries: number;
}

export interface Workload {
  id: string;
  scenario: 1 | 2 | 3 | 4;
  domain: DomainId;
  title: string;
  latencyMs: number;
  /** Scenario 3: the number of enterprises. */
  n?: number;
  requests: WorkloadRequest[];
  /** Also drive the providers directly with the requests JointGraph's plan sent (the upper bound). */
  direct: boolean;
  load: LoadShape | null;
}

export const FULL_FAN_OUT = [10, 100, 1000, 10_000] as const;
export const SMOKE_FAN_OUT = [10, 100] as const;

export function workloads(smoke: boolean): Workload[] {
  const standard: WorkloadRequest[] = [{ title: 'standard benchmark query', query: STANDARD_QUERY, expected: STANDARD_EXPECTED }];
  const readme: WorkloadRequest[] = readmeQueries().map((e) => ({ title: e.title, query: e.query, expected: e.expected }));
  const shape = (connections: number, durationS: number, repeats: number, extra: Partial<LoadShape> = {}): LoadShape | null =>
    smoke ? null : { connections, durationS, repeats, timeoutS: 20, busyRetries: 2, ...extra };
  const fanOut = (n: number, latencyMs: number, load: LoadShape | null): Workload => ({
    id: `s${latencyMs ? 4 : 3}-fanout-${n}`,
    scenario: latencyMs ? 4 : 3,
    domain: 'fanout',
    title: `fan-out, N = ${n}${latencyMs ? `, +${latencyMs} ms per provider` : ''}`,
    latencyMs,
    n,
    requests: [{ title: `${n} enterprises`, query: fanOutQuery(n) }],
    direct: false,
    load,
  });
  return [
    {
      id: 's1-standard', scenario: 1, domain: 'standard', title: 'standard benchmark shape', latencyMs: 0,
      requests: standard, direct: true,
      load: smoke ? { connections: 5, durationS: 5, repeats: 1, amount: 20, timeoutS: 20, quietWaitMs: 0, busyRetries: 0 } : shape(50, 10, 3),
    },
    ...(smoke ? [] : [
      { id: 's4-standard', scenario: 4, domain: 'standard', title: 'standard benchmark shape, +20 ms per provider', latencyMs: 20, requests: standard, direct: false, load: shape(50, 10, 3) },
      { id: 's2-sample', scenario: 2, domain: 'sample', title: 'sample domain: the three README queries in turn', latencyMs: 0, requests: readme, direct: true, load: shape(50, 10, 3) },
      { id: 's4-sample', scenario: 4, domain: 'sample', title: 'sample domain, +20 ms per provider', latencyMs: 20, requests: readme, direct: false, load: shape(50, 10, 3) },
    ] satisfies Workload[]),
    // One connection: latency against N without queueing; throughput follows from it. N = 10000
    // takes seconds per answer: one repeat of a few answers keeps the run under 10 minutes.
    ...(smoke ? SMOKE_FAN_OUT : FULL_FAN_OUT).map((n) => fanOut(n, 0, shape(1, n < 1000 ? 1.5 : n < 10_000 ? 2 : 4, n < 10_000 ? 2 : 1, { timeoutS: 30 }))),
    fanOut(100, 20, shape(1, 1.5, 2)),
  ];
}
