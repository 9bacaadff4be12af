// How the gateway talks to one provider: HTTP with a per-provider timeout. Transport failures,
// timeouts, non-GraphQL answers and provider errors all become errors that name the provider
// and carry a stable code, so the rest of a response survives one provider's trouble.

import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import type { ExecutionRequest, ExecutionResult, Executor } from '@graphql-tools/utils';
import { GraphQLError } from 'graphql';
import { codedError, type ErrorCode } from '../errors/index.ts';

export interface SubgraphCall {
  subgraph: string;
  /** The GraphQL context of the gateway request that made the call. */
  context: unknown;
  ms: number;
  outcome: 'ok' | 'error' | ErrorCode;
  /** When the provider's store last changed, as it reported (`extensions.jointgraph.updatedAt`). */
  updatedAt?: string;
}

export interface SubgraphExecutorOptions {
  name: string;
  url: string;
  timeoutMs: number;
  onCall?: (call: SubgraphCall) => void;
}

/** Thrown by our fetch so the executor's result tells transport trouble from provider errors. */
class TransportError extends Error {
  constructor(readonly code: 'SUBGRAPH_UNAVAILABLE' | 'SUBGRAPH_TIMEOUT' | 'SUBGRAPH_BAD_RESPONSE', message: string) {
    super(message);
  }
}

function guardedFetch(name: string, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new TransportError('SUBGRAPH_TIMEOUT', `Provider "${name}" did not answer within ${timeoutMs} ms.`);
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new TransportError('SUBGRAPH_UNAVAILABLE', `Provider "${name}" is unreachable (${cause}).`);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) {
      await response.body?.cancel();
      throw new TransportError('SUBGRAPH_BAD_RESPONSE', `Provider "${name}" answered HTTP ${response.status} with ${type || 'no content type'}, not GraphQL.`);
    }
    return response;
  };
}

function transportCause(error: GraphQLError): TransportError | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof TransportError) return e;
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function providerError(name: string, error: GraphQLError): GraphQLError {
  const transport = transportCause(error);
  if (transport) return codedError(transport.code, transport.message, { extensions: { subgraph: name } });
  return codedError('SUBGRAPH_ERROR', `Provider "${name}" reported: ${error.message}`, {
    path: error.path,
    extensions: { subgraph: name, providerError: { message: error.message, code: error.extensions?.code ?? null } },
  });
}

export function createSubgraphExecutor({ name, url, timeoutMs, onCall }: SubgraphExecutorOptions): Executor {
  // executor-http merges identical in-flight queries by default, across gateway requests and
  // requesters alike; merging belongs to the cache, which does it within one authorization scope.
  const http = buildHTTPExecutor({ endpoint: url, fetch: guardedFetch(name, timeoutMs), deduplicateInflightRequests: false });
  return async (request: ExecutionRequest) => {
    const started = performance.now();
    const result = (await http(request)) as ExecutionResult;
    let outcome: SubgraphCall['outcome'] = 'ok';
    if (result.errors?.length) {
      const errors = result.errors.map((e) => providerError(name, e));
      outcome = (errors[0]?.extensions.code as ErrorCode) === 'SUBGRAPH_ERROR' ? 'error' : (errors[0]?.extensions.code as ErrorCode);
      onCall?.({ subgraph: name, context: request.context, ms: performance.now() - started, outcome });
      return { ...result, errors };
    }
    const updatedAt = (result.extensions?.jointgraph as { updatedAt?: unknown } | undefined)?.updatedAt;
    onCall?.({ subgraph: name, context: request.context, ms: performance.now() - started, outcome, ...(typeof updatedAt === 'string' ? { updatedAt } : {}) });
    return result;
  };
}
