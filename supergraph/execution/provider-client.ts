// How the gateway talks to one provider: a keep-alive pool of HTTP connections (undici), one
// deadline per call kept by a shared sweeper (no timer or signal per call), a circuit breaker
// (opossum), a retry of a failed connection within the deadline and a retry budget, the answer
// read up to a size bound and parsed once. Transport failures, timeouts, oversized or
// non-GraphQL answers and provider errors all become errors that name the provider and carry a
// stable code, so the rest of a response survives.

import { SpanKind, SpanStatusCode, trace, type Context, type Tracer } from '@opentelemetry/api';
import type { ExecutionResult } from '@graphql-tools/utils';
import { GraphQLError } from 'graphql';
import CircuitBreaker from 'opossum';
import { Pool, type Dispatcher } from 'undici';
import { codedError, type ErrorCode } from '../errors/index.ts';
import type { BoundCall } from '../../protocol/index.ts';
import { ASSERTION_HEADER } from './caller-assertion.ts';
import { Deadlines } from './deadlines.ts';
import { traceHeaders } from '../telemetry/index.ts';
import { DEFAULT_RETRY_BUDGET, RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';

export interface SubgraphCall {
  subgraph: string;
  /** The gateway request that made the call. */
  context: unknown;
  ms: number;
  outcome: 'ok' | 'error' | ErrorCode;
  /** When the provider's store last changed, as it reported (`extensions.jointgraph.updatedAt`). */
  updatedAt?: string;
}

export interface ProviderRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
  context: unknown;
}

export type CircuitState = 'closed' | 'half-open' | 'open';

export interface BreakerOptions {
  /** Share of failed calls (transport failures and timeouts) in the rolling window that opens the circuit. */
  errorPercentage: number;
  /** Calls in the window before the share counts. */
  volumeThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  resetMs: number;
  windowMs: number;
  /**
   * A provider that answers nothing for this long while at least volumeThreshold calls wait on it
   * is taken as frozen and the circuit opens at once: failures are only counted when calls end,
   * which for a frozen provider is each call's full deadline.
   */
  stallMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = Object.freeze({ errorPercentage: 50, volumeThreshold: 10, resetMs: 5_000, windowMs: 10_000, stallMs: 1_000 });

export interface ProviderClientOptions {
  name: string;
  url: string;
  timeoutMs: number;
  /** Open connections to this provider at most; further calls wait for one (within their deadline). */
  connections: number;
  breaker?: BreakerOptions;
  /** Bytes of one answer at most; a larger one is cut off (SUBGRAPH_RESPONSE_TOO_LARGE). */
  maxResponseBytes?: number;
  /** How many retries the provider may be sent on top of its calls. */
  retryBudget?: RetryBudgetOptions;
  onCall?: (call: SubgraphCall) => void;
  onCircuit?: (subgraph: string, state: CircuitState) => void;
  onRetry?: (subgraph: string) => void;
  /** Signs the call's assertion for the provider, bound to the call (caller-assertion.ts); unsigned without it. */
  assert?: (request: ProviderRequest, call: BoundCall) => Promise<string>;
  /** The trace a call belongs to (its request's); the provider is sent its traceparent. */
  traceOf?: (request: ProviderRequest) => Context | undefined;
  /** Makes a span of each call within a trace; without it the request's traceparent is passed on as is. */
  tracer?: Tracer;
  /** Milliseconds, monotonic: when the provider last answered (tests set it). */
  clock?: () => number;
}

export type ProviderClient = ((request: ProviderRequest) => Promise<ExecutionResult>) & { close(): Promise<void> };

const deadlines = new Deadlines();

type TransportCode = 'SUBGRAPH_UNAVAILABLE' | 'SUBGRAPH_TIMEOUT' | 'SUBGRAPH_BAD_RESPONSE';

/** Carries a transport failure through the breaker, which counts thrown calls as failures. */
class TransportFailure extends Error {
  constructor(readonly result: ExecutionResult) {
    super('transport failure');
  }
}

const TRANSPORT_CODES: ReadonlySet<unknown> = new Set<TransportCode>(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT', 'SUBGRAPH_BAD_RESPONSE']);

function transportFailure(name: string, code: TransportCode, message: string): ExecutionResult {
  return { errors: [codedError(code, message, { extensions: { subgraph: name } })] };
}

/**
 * A provider's error path as GraphQL means it: some servers (mercurius) write list indices as
 * strings ("0"); a GraphQL name never starts with a digit, so such a segment is always an index.
 */
function errorPath(path: unknown[]): (string | number)[] {
  return path.map((segment) => (typeof segment === 'string' && /^\d+$/.test(segment) ? Number(segment) : (segment as string | number)));
}

function providerError(name: string, error: { message?: unknown; path?: unknown; extensions?: { code?: unknown } }): GraphQLError {
  const message = typeof error?.message === 'string' ? error.message : 'an error without a message';
  return codedError('SUBGRAPH_ERROR', `Provider "${name}" reported: ${message}`, {
    ...(Array.isArray(error?.path) ? { path: errorPath(error.path) } : {}),
    extensions: { subgraph: name, providerError: { message, code: error?.extensions?.code ?? null } },
  });
}

/**
 * Failures where the request cannot have reached the provider's resolvers, or died with the
 * connection: safe to send again, since the gateway only ever sends queries to providers.
 */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Reads a body up to `max` bytes; null (and the connection dropped) past it. */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > max) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, bytes).toString('utf8');
}

function isJson(contentType: string | string[] | undefined): boolean {
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  return type !== undefined && type.includes('json');
}

/** The provider's answer as GraphQL, or the coded failure it amounts to. */
async function readAnswer(name: string, response: Dispatcher.ResponseData, maxResponseBytes: number): Promise<ExecutionResult> {
  if (!isJson(response.headers['content-type'])) {
    await response.body.dump();
    const type = response.headers['content-type'] ?? 'no content type';
    return transportFailure(name, 'SUBGRAPH_BAD_RESPONSE', `Provider "${name}" answered HTTP ${response.statusCode} with ${type}, not GraphQL.`);
  }
  const text = await readCapped(response.body, maxResponseBytes);
  if (text === null) {
    return { errors: [codedError('SUBGRAPH_RESPONSE_TOO_LARGE', `Provider "${name}" answered more than ${maxResponseBytes} bytes; the answer was cut off.`, { extensions: { subgraph: name, maxBytes: maxResponseBytes } })] };
  }
  let body: { data?: unknown; errors?: unknown; extensions?: Record<string, unknown> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return transportFailure(name, 'SUBGRAPH_BAD_RESPONSE', `Provider "${name}" answered HTTP ${response.statusCode} with malformed JSON.`);
  }
  if (body === null || typeof body !== 'object' || (!('data' in body) && !Array.isArray(body.errors))) {
    return transportFailure(name, 'SUBGRAPH_BAD_RESPONSE', `Provider "${name}" answered HTTP ${response.statusCode} without "data" or "errors".`);
  }
  const errors = Array.isArray(body.errors) ? body.errors.map((e) => providerError(name, e as never)) : undefined;
  return { data: (body.data ?? null) as ExecutionResult['data'], ...(errors?.length ? { errors } : {}), ...(body.extensions ? { extensions: body.extensions } : {}) };
}

/** Sends the call; a connection refused or dropped is tried once more while `retry` (the deadline and the budget) allows. */
async function requestWithRetry(pool: Pool, call: Dispatcher.RequestOptions, retry: () => boolean): Promise<Dispatcher.ResponseData> {
  for (;;) {
    try {
      // A retry is the same call: the provider never saw the first attempt's assertion used.
      return await pool.request(call);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || !retry()) throw error;
    }
  }
}

type Send = (request: ProviderRequest, traced?: Record<string, string>) => Promise<ExecutionResult>;

// A provider in trouble is not asked again and again: while the circuit is open, calls fail at
// once with SUBGRAPH_CIRCUIT_OPEN; after resetMs one probe call decides whether it closes.
function behindCircuit(name: string, breaker: BreakerOptions, send: Send, stalled: () => boolean, onCircuit: ProviderClientOptions['onCircuit']) {
  const circuit = new CircuitBreaker(
    async (request: ProviderRequest, traced?: Record<string, string>) => {
      const result = await send(request, traced);
      if (TRANSPORT_CODES.has(result.errors?.[0]?.extensions?.code)) throw new TransportFailure(result);
      return result;
    },
    {
      timeout: false,
      errorThresholdPercentage: breaker.errorPercentage,
      volumeThreshold: breaker.volumeThreshold,
      resetTimeout: breaker.resetMs,
      rollingCountTimeout: breaker.windowMs,
    },
  );
  circuit.on('open', () => onCircuit?.(name, 'open'));
  circuit.on('halfOpen', () => onCircuit?.(name, 'half-open'));
  circuit.on('close', () => onCircuit?.(name, 'closed'));
  const open = (): ExecutionResult => ({
    errors: [codedError('SUBGRAPH_CIRCUIT_OPEN', `Provider "${name}" failed repeatedly; the gateway stops asking it for ${breaker.resetMs} ms at a time until a probe succeeds.`, { extensions: { subgraph: name } })],
  });
  const guarded: Send = async (request, traced) => {
    if (!circuit.opened && stalled()) circuit.open();
    try {
      return (await circuit.fire(request, traced)) as ExecutionResult;
    } catch (error) {
      if (error instanceof TransportFailure) return error.result;
      if ((error as { code?: string }).code === 'EOPENBREAKER') return open();
      throw error;
    }
  };
  return { guarded, shutdown: () => circuit.shutdown() };
}

export function createProviderClient(options: ProviderClientOptions): ProviderClient {
  const { name, url, timeoutMs, connections, breaker = DEFAULT_BREAKER, maxResponseBytes = 32 * 2 ** 20, onCall, onCircuit } = options;
  const retries = new RetryBudget(options.retryBudget ?? DEFAULT_RETRY_BUDGET);
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const path = `${target.pathname}${target.search}`;
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  const clock = options.clock ?? (() => performance.now());
  // Stall detection: calls waiting on the provider, and when it last showed progress (an answer of
  // any kind, or the first call after none were waiting).
  let waiting = 0;
  let progressAt = clock();
  const stalled = () => waiting >= breaker.volumeThreshold && clock() - progressAt > breaker.stallMs;

  const send: Send = async (request, traced) => {
    const controller = new AbortController();
    const deadline = deadlines.add(timeoutMs, controller);
    const payload = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    retries.called();
    if (waiting++ === 0) progressAt = clock();
    try {
      const own = traced ? { ...headers, ...traced } : headers;
      const callHeaders = options.assert ? { ...own, [ASSERTION_HEADER]: await options.assert(request, { method: 'POST', url, body: payload }) } : own;
      const retry = () => {
        if (deadline.expired || !retries.withdraw()) return false;
        options.onRetry?.(name);
        return true;
      };
      const response = await requestWithRetry(pool, { path, method: 'POST', headers: callHeaders, body: payload, signal: controller.signal }, retry);
      return await readAnswer(name, response, maxResponseBytes);
    } catch (error) {
      if (deadline.expired) return transportFailure(name, 'SUBGRAPH_TIMEOUT', `Provider "${name}" did not answer within ${timeoutMs} ms.`);
      const cause = (error as { code?: string }).code ?? (error as Error).message;
      return transportFailure(name, 'SUBGRAPH_UNAVAILABLE', `Provider "${name}" is unreachable (${cause}).`);
    } finally {
      deadlines.remove(deadline);
      waiting -= 1;
      if (!deadline.expired) progressAt = clock();
    }
  };
  const circuit = behindCircuit(name, breaker, send, stalled, onCircuit);

  const client = async (request: ProviderRequest): Promise<ExecutionResult> => {
    const started = performance.now();
    const parent = options.traceOf?.(request);
    const span = parent && options.tracer?.startSpan(`provider ${name}`, { kind: SpanKind.CLIENT, attributes: { 'jointgraph.subgraph': name } }, parent);
    const result = await circuit.guarded(request, parent && traceHeaders(span ? trace.setSpan(parent, span) : parent));
    const first = result.errors?.[0]?.extensions?.code as ErrorCode | undefined;
    const outcome: SubgraphCall['outcome'] = first === undefined ? 'ok' : first === 'SUBGRAPH_ERROR' ? 'error' : first;
    if (span) {
      span.setAttribute('jointgraph.outcome', outcome);
      if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      span.end();
    }
    const updatedAt = (result.extensions?.jointgraph as { updatedAt?: unknown } | undefined)?.updatedAt;
    onCall?.({ subgraph: name, context: request.context, ms: performance.now() - started, outcome, ...(typeof updatedAt === 'string' ? { updatedAt } : {}) });
    return result;
  };
  return Object.assign(client, {
    close: async () => {
      circuit.shutdown();
      await pool.close();
    },
  });
}
