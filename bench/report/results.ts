// The shape of bench/results/results.json: everything the Markdown table and the charts are
// made from, with every repeat kept so that the spread can be shown and recomputed.

import type { SubgraphCount } from '../kit/subgraph-traffic.ts';
import type { ContenderId } from '../plan/contenders.ts';
import type { DomainId } from '../plan/domains.ts';
import type { LoadShape } from '../plan/workloads.ts';

export interface LoneCheck {
  correct: boolean;
  problem?: string;
  /** Subgraph requests and entity representations for one lone client request (mean over the workload's queries). */
  subgraphRequests: number;
  representations: number;
  /** Wall time of the lone request(s), ms (mean over the workload's queries). */
  ms: number;
  perQuery: { title: string; subgraphRequests: number; representations: number; ms: number; perSubgraph: Record<string, SubgraphCount> }[];
}

export interface LoadRun {
  repeat: number;
  rps: number;
  p50: number | null;
  p99: number | null;
  peakRssMb: number | null;
  /** The gateway process's CPU time (user + system, from /proc) per completed request. */
  cpuMsPerRequest: number | null;
  /** Under load: subgraph requests (and representations) per client request sent. */
  subgraphRequestsPerRequest: number;
  representationsPerRequest: number;
  completed: number;
  sent: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  firstMismatch?: string;
  /** Share of the machine (0–1) that processes other than the benchmark's (and steal) used during the run. */
  foreignCpu: number;
  /** Share of the machine (0–1) the hypervisor took (steal) during the run. */
  steal: number;
  /** The 1-minute load average at the end of the run (the benchmark's own processes included). */
  loadAverage: number;
  /** Other processes or steal took more than the harness allows (measure-load.ts): a busy machine. */
  busy: boolean;
  /** Left out of every figure: the round was run on a busy machine, and so were its repeats. */
  excluded?: boolean;
  /** Share of one core the other, parked gateways used meanwhile (on the subgraphs' core). */
  idleGatewaysCpu: number;
  /** No errors, timeouts, non-2xx answers or wrong answers. */
  valid: boolean;
}

export type ContenderStatus = 'measured' | 'checked' | 'incorrect' | 'not-run' | 'failed';

export interface ContenderResult {
  id: ContenderId;
  label: string;
  status: ContenderStatus;
  note?: string;
  lone?: LoneCheck;
  runs: LoadRun[];
}

export interface WorkloadResult {
  id: string;
  scenario: number;
  domain: DomainId;
  title: string;
  latencyMs: number;
  n?: number;
  queries: string[];
  load: LoadShape | null;
  contenders: ContenderResult[];
}

export interface BenchResults {
  mode: 'full' | 'smoke';
  startedAt: string;
  elapsedS: number;
  machine: { cpus: number; model: string; memoryGb: number; node: string; platform: string };
  placement: { pinned: boolean; gateway: string; subgraphs: string; loadDriver: string; harness: string };
  versions: Record<string, string>;
  workloads: WorkloadResult[];
  notes: string[];
}
