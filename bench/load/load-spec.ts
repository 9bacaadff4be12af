// The contract between the harness and the load driver process: what to send where, how to
// check each answer, and what comes back.

import type { Expectation } from '../measure/expectation.ts';

export interface LoadRequest {
  body: string;
  /** What a gateway's answer must be: every answer is checked against it in full. */
  expected?: Expectation;
  /** The lone answer that passed the full check: an answer with the same text passes it too. */
  verifiedText?: string;
}

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  /** Each connection sends these in turn, round and round. */
  requests: LoadRequest[];
  connections: number;
}

export interface LoadSpec {
  /** One target for a gateway; one per subgraph, run together, for the providers queried directly. */
  targets: LoadTarget[];
  durationS: number;
  /** Stop after this many requests per target instead (still bounded by durationS). */
  amount?: number;
  timeoutS: number;
}

export interface LoadResult {
  durationS: number;
  /** Answered requests per second in steady state (first answer to last), summed over targets. */
  rps: number;
  completed: number;
  sent: number;
  /** Latency of the single target, ms; null for several targets. */
  p50: number | null;
  p99: number | null;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  firstMismatch?: string;
}
