// Measured service quality, per provider and per annotated field: what the operator answers for
// (accessibility: latency, errors, timeouts, availability) and what it observes of the providers'
// sources (completeness as null rate, timeliness as age). Exported to Prometheus with prom-client,
// and kept in small windows for the quality report.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState, HealthReport, SubgraphCall } from '../execution/index.ts';

const WINDOW = 2_048;

/** Process metrics (CPU, memory, event loop, GC) are the process's: collected once, shown by every gateway in it. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** One answered /graphql request, as the gateway counts it; labels are bounded by the caller. */
export interface RequestRecord {
  /** A registered app id, `unknown` for any other, `anonymous` without authentication. */
  app: string;
  status: number;
  /** Catalogued error codes of the answer. */
  codes: readonly string[];
  /** Limits hit (operation limit names, or `rate`). */
  limits: readonly string[];
  /** Reasons of the fields denied (decide.ts). */
  denials: readonly string[];
}

/** ok: no error; partial: an answer with errors; refused: 4xx; failed: 5xx. */
function outcomeOf(record: RequestRecord): string {
  if (record.status >= 500) return 'failed';
  if (record.status >= 400) return 'refused';
  return record.codes.length > 0 ? 'partial' : 'ok';
}

export interface ProviderStats {
  requests: number;
  errors: number;
  timeouts: number;
  unavailable: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  probes: number;
  probesUp: number;
  updatedAt: string | null;
}

export interface FieldStats {
  samples: number;
  nulls: number;
  stale: number;
  maxAgeSeconds: number | null;
  latestAsOf: string | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #latencies = new Map<string, number[]>();
  readonly #providers = new Map<string, ProviderStats>();
  readonly #fields = new Map<string, FieldStats>();
  readonly #duration = new Histogram({
    name: 'jointgraph_subgraph_request_duration_seconds',
    help: 'Duration of gateway requests to a provider subgraph',
    labelNames: ['subgraph', 'outcome'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly #up = new Gauge({ name: 'jointgraph_subgraph_up', help: '1 when the last health probe reached the provider', labelNames: ['subgraph'], registers: [this.registry] });
  readonly #updated = new Gauge({ name: 'jointgraph_subgraph_updated_timestamp_seconds', help: 'Last update time of the provider store, as the provider reports it', labelNames: ['subgraph'], registers: [this.registry] });
  readonly #lastAge = new Map<string, number>();
  readonly #circuit = new Gauge({
    name: 'jointgraph_subgraph_circuit_state', help: 'The circuit breaker in front of a provider: 0 closed, 1 half-open (probing), 2 open', labelNames: ['subgraph'], registers: [this.registry],
  });
  readonly #circuits = new Map<string, CircuitState>();
  readonly #retries = new Counter({
    name: 'jointgraph_subgraph_retries_total', help: 'Calls sent again after a refused or dropped connection, within the retry budget', labelNames: ['subgraph'], registers: [this.registry],
  });

  readonly #requests = new Counter({ name: 'jointgraph_requests_total', help: 'Requests to /graphql by app, outcome (ok, partial, refused, failed) and HTTP status', labelNames: ['app', 'outcome', 'status'], registers: [this.registry] });
  readonly #requestDuration = new Histogram({
    name: 'jointgraph_request_duration_seconds', help: 'Duration of /graphql requests by app and outcome, from arrival to the last byte sent', labelNames: ['app', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
  });
  readonly #denials = new Counter({ name: 'jointgraph_denials_total', help: 'Fields denied to requesters, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly #errors = new Counter({ name: 'jointgraph_errors_total', help: 'Errors in answers to /graphql, by app and catalogued code', labelNames: ['app', 'code'], registers: [this.registry] });
  readonly #limits = new Counter({ name: 'jointgraph_limits_hit_total', help: 'Requests refused at a limit: operation limits by name, fair use as rate', labelNames: ['limit', 'code'], registers: [this.registry] });

  /** An answered /graphql request. */
  recordRequest(record: RequestRecord, seconds: number): void {
    const outcome = outcomeOf(record);
    this.#requests.inc({ app: record.app, outcome, status: record.status });
    this.#requestDuration.observe({ app: record.app, outcome }, seconds);
    for (const reason of record.denials) this.#denials.inc({ reason });
    for (const code of record.codes) this.#errors.inc({ app: record.app, code });
    for (const limit of record.limits) this.#limits.inc({ limit, code: limit === 'rate' ? 'RATE_LIMITED' : 'OPERATION_LIMIT_EXCEEDED' });
  }

  /** The Prometheus exposition: this gateway's metrics and the process's. */
  async exposition(): Promise<string> {
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }

  /** A call to a provider was sent again. */
  recordRetry(subgraph: string): void {
    this.#retries.inc({ subgraph });
  }

  /** A provider's circuit changed state. */
  recordCircuit(subgraph: string, state: CircuitState): void {
    this.#circuits.set(subgraph, state);
    this.#circuit.set({ subgraph }, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2);
  }

  circuit(subgraph: string): CircuitState {
    return this.#circuits.get(subgraph) ?? 'closed';
  }

  constructor(providers: readonly string[]) {
    for (const name of providers) {
      this.#provider(name);
      this.recordCircuit(name, 'closed');
      this.#retries.inc({ subgraph: name }, 0);
    }
    // Field measures are updated on every answer, so they are exported when scraped, not per value.
    const fields = this.#fields;
    const lastAge = this.#lastAge;
    new Gauge({
      name: 'jointgraph_field_null_ratio', help: 'Observed share of null values of an annotated field', labelNames: ['coordinate'], registers: [this.registry],
      collect() { for (const [coordinate, s] of fields) this.set({ coordinate }, s.nulls / s.samples); },
    });
    new Gauge({
      name: 'jointgraph_field_age_seconds', help: 'Age of the last observed value of an annotated field', labelNames: ['coordinate'], registers: [this.registry],
      collect() { for (const [coordinate, age] of lastAge) this.set({ coordinate }, age); },
    });
    new Counter({
      name: 'jointgraph_field_stale_values_total', help: 'Values older than their declared update cycle allows', labelNames: ['coordinate'], registers: [this.registry],
      collect() {
        this.reset();
        for (const [coordinate, s] of fields) if (s.stale > 0) this.inc({ coordinate }, s.stale);
      },
    });
  }


  #provider(name: string): ProviderStats {
    let stats = this.#providers.get(name);
    if (!stats) {
      stats = { requests: 0, errors: 0, timeouts: 0, unavailable: 0, latencyMs: { p50: null, p95: null, p99: null }, probes: 0, probesUp: 0, updatedAt: null };
      this.#providers.set(name, stats);
      this.#latencies.set(name, []);
    }
    return stats;
  }

  recordCall(call: SubgraphCall): void {
    const stats = this.#provider(call.subgraph);
    stats.requests++;
    if (call.outcome !== 'ok') stats.errors++;
    if (call.outcome === 'SUBGRAPH_TIMEOUT') stats.timeouts++;
    if (call.outcome === 'SUBGRAPH_UNAVAILABLE') stats.unavailable++;
    const window = this.#latencies.get(call.subgraph)!;
    window.push(call.ms);
    if (window.length > WINDOW) window.shift();
    this.#duration.observe({ subgraph: call.subgraph, outcome: call.outcome }, call.ms / 1000);
    if (call.updatedAt) {
      stats.updatedAt = call.updatedAt;
      this.#updated.set({ subgraph: call.subgraph }, Date.parse(call.updatedAt) / 1000);
    }
  }

  recordProbe(report: HealthReport): void {
    for (const s of report.subgraphs) {
      const stats = this.#provider(s.name);
      stats.probes++;
      if (s.reachable) stats.probesUp++;
      this.#up.set({ subgraph: s.name }, s.reachable ? 1 : 0);
    }
  }

  recordValue(coordinate: string, isNull: boolean, ageSeconds: number | null, stale: boolean, asOf: string | null): void {
    let stats = this.#fields.get(coordinate);
    if (!stats) this.#fields.set(coordinate, (stats = { samples: 0, nulls: 0, stale: 0, maxAgeSeconds: null, latestAsOf: null }));
    stats.samples++;
    if (isNull) stats.nulls++;
    if (ageSeconds !== null) {
      stats.maxAgeSeconds = Math.max(stats.maxAgeSeconds ?? 0, ageSeconds);
      this.#lastAge.set(coordinate, ageSeconds);
    }
    if (asOf && (!stats.latestAsOf || asOf > stats.latestAsOf)) stats.latestAsOf = asOf;
    if (stale) stats.stale++;
  }

  provider(name: string): ProviderStats {
    const stats = this.#provider(name);
    const sorted = [...this.#latencies.get(name)!].sort((a, b) => a - b);
    return { ...stats, latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) } };
  }

  /** When the provider last reported its store changed (cheap: no percentiles). */
  updatedAt(name: string): string | null {
    return this.#providers.get(name)?.updatedAt ?? null;
  }

  providers(): string[] {
    return [...this.#providers.keys()].sort();
  }

  field(coordinate: string): FieldStats | undefined {
    return this.#fields.get(coordinate);
  }
}
