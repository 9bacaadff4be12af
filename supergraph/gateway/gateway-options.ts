// What a gateway is made with (createGateway): every setting has its default in createGateway or
// where it is used; the operator's settings file (supergraph/config) maps onto these.

import type { AppRegistry } from '../identity/index.ts';
import type { BreakerOptions, CallerKey, SubgraphCall } from '../execution/index.ts';
import type { CachePolicy, SharedRedisOptions } from '../cache/index.ts';
import type { SharedOverlay } from '../labels/index.ts';
import type { SchemaRegistry } from '../registry/index.ts';
import type { SignInConfiguration, SubgraphEntry } from '../config/index.ts';
import type { TracingOptions } from '../telemetry/index.ts';
import type { AuthorizationOptions } from './authorization-stage.ts';
import type { FairUseDefaults } from './fair-use.ts';
import type { OperationLimits } from './operation-limits.ts';

export interface GatewayOptions {
  /** Labels, joint authorization and the audit trail; without it the gateway is plain federation. */
  authorization?: AuthorizationOptions;
  /** The admin endpoint (/admin/graphql); needs `authorization`. */
  admin?: { registry: AppRegistry; schemaRegistry?: SchemaRegistry; labelOverlayFile?: string; sharedOverlay?: SharedOverlay; signIn?: SignInConfiguration };
  supergraphSdl: string;
  subgraphs?: readonly SubgraphEntry[];
  defaultTimeoutMs: number;
  healthTimeoutMs: number;
  bodyLimitBytes: number;
  /** A request's headers and body must arrive within this (default 30 s): a slow client holds no connection longer. */
  requestTimeoutMs?: number;
  /** How long a replaced schema's runtime waits for the requests still on it before it closes (default 30 s). */
  drainTimeoutMs?: number;
  onSubgraphCall?: (call: SubgraphCall) => void;
  /** Structured JSON logs (pino): one line per /graphql request; off when absent. `stream` takes the lines (tests). */
  logger?: boolean | { level?: string; stream?: { write(line: string): void } };
  /** Traces (OpenTelemetry) to an OTLP/HTTP endpoint or an exporter; no spans when absent. */
  tracing?: TracingOptions;
  /** The operator's cache policy; without it nothing is cached. */
  cachePolicy?: CachePolicy;
  /** A clock for cache TTLs (tests; the in-process cache only: Redis keeps its own time). */
  cacheClock?: { now(): number };
  /** Redis shared by replicas: the response cache and the rate-limit counters live there instead of in this process. */
  redis?: SharedRedisOptions;
  /** How often providers are probed for the availability measure; 0 or absent: only on /health. */
  probeIntervalMs?: number;
  /** Connections to each provider at most. */
  providerConnections?: number;
  /** When a provider's circuit opens and how long it stays open. */
  breaker?: BreakerOptions;
  /** Bytes of requester documents kept parsed and validated, and (again) of operations kept pruned. */
  documentCacheBytes?: number;
  /** Bytes of pruned documents kept planned. */
  planCacheBytes?: number;
  /** A document with more tokens is refused before it is parsed whole. */
  maxTokens?: number;
  /** Fields, root fields, variables, depth, aliases, directives and cost of one operation. */
  limits?: OperationLimits;
  /** The key the gateway signs its calls to providers with (their assertion); unsigned calls without it. */
  callerKey?: CallerKey;
  /** How often providers are asked to countersign the audit checkpoints signed since their last (default 60 s; 0: at start and on demand only). */
  countersignIntervalMs?: number;
  /** Bytes of one answer at most (default 32 MiB). */
  maxResponseBytes?: number;
  /** Bytes read from one provider answer at most (default: maxResponseBytes). */
  maxProviderResponseBytes?: number;
  /** Per-app rate and requests in flight, unless the app's registry entry says otherwise. */
  fairUse?: FairUseDefaults;
  /** Shed load (503 with Retry-After) past these: heap in use, and event-loop delay. */
  pressure?: { maxHeapUsedBytes: number; maxEventLoopDelayMs: number };
}
