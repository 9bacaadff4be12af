// What an operation hands forward to the stages after it: the answer, and what the access record,
// the completion line and the metrics need of it (how it ended, what it returned, what was denied,
// whom it asked). Those stages read it from here, never from the request's authorization.

import type { GraphQLFormattedError } from 'graphql';
import type { PrunedOperation } from '../policy/index.ts';
import { requestSummary } from '../telemetry/index.ts';

/** What an answer carried, for the access record. */
export interface Answered {
  returned: string[];
  entities: number;
  errors: number;
  valueDigests?: string[];
}

export interface OperationResult {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[]; extensions?: Record<string, unknown> };
  headers?: Record<string, string>;
  /** How the operation ended: OK or PARTIAL when answered, else the refusal's outcome. */
  outcome: string;
  /** What the answer carried; none for a refused operation. */
  answered?: Answered;
  /** The fields pruned as denied, as the request's authorization scope shares them (empty without authorization). */
  denied: PrunedOperation['denied'];
  /** The providers called, once each, in the order their answers came. */
  providers: readonly string[];
}

/** An answer with denied fields or errors is PARTIAL. */
export function answeredOutcome(denied: PrunedOperation['denied'], answered: Answered): string {
  return denied.length > 0 || answered.errors > 0 ? 'PARTIAL' : 'OK';
}

/**
 * How a request that was not answered ended, from the code its answer carries (set by the stage that
 * refused it), not guessed from the status: a refused origin and a refused operation are both 403, a
 * shed request and a store that is down both 503.
 */
export function refusalOutcome(code: string | undefined, status: number): string {
  switch (code) {
    case 'UNAUTHENTICATED': return 'UNAUTHENTICATED';
    case 'PURPOSE_REQUIRED': case 'PURPOSE_INVALID': return 'PURPOSE_REQUIRED';
    case 'PURPOSE_NOT_PERMITTED': case 'OPERATION_REJECTED': return 'REJECTED';
    case 'ORIGIN_NOT_ALLOWED': return 'ORIGIN_REFUSED';
    case 'RATE_LIMITED': return 'RATE_LIMITED';
    case 'SERVICE_UNAVAILABLE': case 'NOT_READY': return 'UNAVAILABLE';
    default: return status >= 500 ? 'FAILED' : 'INVALID';
  }
}

/** An operation refused before it ran (its method, document, variables, cost, or the reject mode's denials). */
export function refusedOperation(response: Pick<OperationResult, 'status' | 'body' | 'headers'>, denied: PrunedOperation['denied'] = []): OperationResult {
  return { ...response, outcome: refusalOutcome(requestSummary(response.body.errors).codes[0], response.status), denied, providers: [] };
}
