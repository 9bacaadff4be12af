// From repeats to reported figures: medians with their spread, and ratios taken within the same
// round (repeat k of one gateway against repeat k of the baseline), then their median. A round
// left out for a busy machine counts in no figure and no ratio.

import { BASELINE, OURS, type ContenderId } from '../plan/contenders.ts';
import type { ContenderResult, LoadRun, WorkloadResult } from './results.ts';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Summary {
  rps: Spread;
  p50: number | null;
  p99: number | null;
  peakRssMb: number | null;
  /** Median over rounds of the gateway's CPU milliseconds per request. */
  cpuMsPerRequest: number | null;
  /** The ratio within each round, per round: the spread behind vsBaseline. */
  vsBaselineRounds: number[];
  subgraphRequestsPerRequest: number;
  representationsPerRequest: number;
  /** Every repeat was free of errors and wrong answers. */
  valid: boolean;
  /** The largest share of the machine other processes used during a counted repeat. */
  foreignCpu: number;
  /** A counted repeat was run on a busy machine (only flagged where rounds are not run again: the smoke run). */
  busy: boolean;
  /** Rounds left out because the machine was busy (and stayed busy when they were run again). */
  excludedRounds: number;
  vsBaseline: number | null;
  vsOurs: number | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const optionalMedian = (values: (number | null)[]) => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? median(present) : null;
};

/** The repeats every figure is made from: those not left out for a busy machine. */
export const counted = (runs: readonly LoadRun[]): LoadRun[] => runs.filter((r) => !r.excluded);

/** This contender's req/s divided by the other's in the same round, round by round. */
export function roundRatios(runs: readonly LoadRun[], other: readonly LoadRun[] | undefined): number[] {
  if (!other?.length) return [];
  return counted(runs).flatMap((r) => {
    const same = counted(other).find((o) => o.repeat === r.repeat);
    return same && same.rps > 0 ? [r.rps / same.rps] : [];
  });
}

/** The median over rounds of this contender's req/s divided by the other's in the same round. */
export function roundRatio(runs: readonly LoadRun[], other: readonly LoadRun[] | undefined): number | null {
  const ratios = roundRatios(runs, other);
  return ratios.length ? median(ratios) : null;
}

export function find(workload: WorkloadResult, id: ContenderId): ContenderResult | undefined {
  return workload.contenders.find((c) => c.id === id);
}

export function summarise(workload: WorkloadResult, contender: ContenderResult): Summary | null {
  const runs = counted(contender.runs);
  if (runs.length === 0) return null;
  const peaks = runs.map((r) => r.peakRssMb).filter((v): v is number => v !== null);
  return {
    rps: spread(runs.map((r) => r.rps)),
    p50: optionalMedian(runs.map((r) => r.p50)),
    p99: optionalMedian(runs.map((r) => r.p99)),
    peakRssMb: peaks.length ? Math.max(...peaks) : null,
    cpuMsPerRequest: optionalMedian(runs.map((r) => r.cpuMsPerRequest ?? null)),
    vsBaselineRounds: roundRatios(runs, find(workload, BASELINE)?.runs),
    subgraphRequestsPerRequest: median(runs.map((r) => r.subgraphRequestsPerRequest)),
    representationsPerRequest: median(runs.map((r) => r.representationsPerRequest)),
    valid: runs.every((r) => r.valid),
    foreignCpu: Math.max(...runs.map((r) => r.foreignCpu)),
    busy: runs.some((r) => r.busy),
    excludedRounds: contender.runs.length - runs.length,
    vsBaseline: contender.id === BASELINE ? 1 : roundRatio(runs, find(workload, BASELINE)?.runs),
    vsOurs: contender.id === OURS ? 1 : roundRatio(runs, find(workload, OURS)?.runs),
  };
}
