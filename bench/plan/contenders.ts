// The gateways compared in one run, in report order, and how each is started. Every gateway runs
// as its own process with its own defaults, except that no gateway merges identical in-flight
// subgraph requests across client requests (Hive Gateway's default is turned off), so that every
// gateway does the same work per request; the subgraph requests per request are reported beside
// every figure to show it. JointGraph plain and as deployed run as an operator runs them: the
// compiled `jointgraph serve --config FILE`.

export type ContenderId =
  | 'jointgraph-plain'
  | 'jointgraph-deployed'
  | 'jointgraph-authz-cache'
  | 'jointgraph-authz-partial'
  | 'apollo'
  | 'hive'
  | 'hive-router'
  | 'mercurius'
  | 'direct';

export interface Contender {
  id: ContenderId;
  label: string;
  kind: 'jointgraph' | 'apollo' | 'hive' | 'mercurius' | 'direct';
  /** Hive Gateway on the Hive Router runtime (its Rust query planner) instead of stitching. */
  routerRuntime?: boolean;
  /**
   * JointGraph as an operator runs it (bench/gateways/served-configuration.ts): the compiled
   * `jointgraph serve --config FILE`, authorization off (plain) or enforced (deployed).
   */
  served?: 'plain' | 'deployed';
  /** JointGraph in-process (bench/gateways/jointgraph-gateway.ts) with labels, grants and audit: all grants, or some withheld. */
  grants?: 'all' | 'partial';
  /** JointGraph's response cache on, with the domain's cache policy. */
  cache?: boolean;
  /** Why it is in the table without figures. */
  notRun?: string;
}

export const CONTENDERS: readonly Contender[] = Object.freeze([
  { id: 'jointgraph-plain', label: 'JointGraph plain (jointgraph serve --config, authorization off)', kind: 'jointgraph', served: 'plain' },
  { id: 'jointgraph-deployed', label: 'JointGraph as deployed (jointgraph serve --config: authorization, audit, signed calls)', kind: 'jointgraph', served: 'deployed' },
  { id: 'jointgraph-authz-cache', label: 'JointGraph + labels/authz/audit + cache (all grants)', kind: 'jointgraph', grants: 'all', cache: true },
  { id: 'jointgraph-authz-partial', label: 'JointGraph + labels/authz/audit (some grants lacking)', kind: 'jointgraph', grants: 'partial' },
  { id: 'apollo', label: 'Apollo Gateway 2.14.4 (@apollo/server 5)', kind: 'apollo' },
  { id: 'hive', label: 'Hive Gateway 2.15.1, stitching runtime (merging off)', kind: 'hive' },
  { id: 'hive-router', label: 'Hive Gateway 2.15.1, Hive Router runtime (merging off)', kind: 'hive', routerRuntime: true },
  { id: 'mercurius', label: '@mercuriusjs/gateway 5.2.0 (jit)', kind: 'mercurius' },
  { id: 'direct', label: 'providers queried directly (upper bound)', kind: 'direct' },
] satisfies Contender[]);

/**
 * The smoke run's contenders: the fewest that take every path of the harness — answers known and
 * referenced, the served configurations, grants withheld, the ratios (OURS and BASELINE), CPU per request, the providers driven
 * directly. The other gateways' launchers run in full runs only.
 */
export const SMOKE_CONTENDERS: readonly ContenderId[] = Object.freeze(['jointgraph-plain', 'jointgraph-deployed', 'jointgraph-authz-partial', 'apollo', 'direct']);

/** The gateway every ratio is taken against, besides JointGraph-plain. */
export const BASELINE: ContenderId = 'apollo';
export const OURS: ContenderId = 'jointgraph-plain';
