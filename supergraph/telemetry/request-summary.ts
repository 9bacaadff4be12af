// What the completion log line and the request metrics say of an answer: its error codes and the
// limits it hit, taken from the errors' extensions only, never from data or variables.

import type { GraphQLFormattedError } from 'graphql';

export interface RequestSummary {
  /** Distinct error codes, in order of first appearance. */
  codes: string[];
  /** Limits hit: an operation limit's name (extensions.limit), or `rate` for RATE_LIMITED. */
  limits: string[];
}

const NONE: RequestSummary = Object.freeze({ codes: [], limits: [] }) as RequestSummary;
/** Bodies of refusals are small; a larger body that was not summarised is not parsed again. */
const MAX_PARSED_BYTES = 65_536;

export function requestSummary(errors: readonly GraphQLFormattedError[] | undefined): RequestSummary {
  if (!errors || errors.length === 0) return NONE;
  const codes = new Set<string>();
  const limits = new Set<string>();
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code !== 'string') continue;
    codes.add(code);
    if (code === 'OPERATION_LIMIT_EXCEEDED' && typeof error.extensions?.limit === 'string') limits.add(error.extensions.limit);
    if (code === 'RATE_LIMITED') limits.add('rate');
  }
  return { codes: [...codes], limits: [...limits] };
}

/** The summary of a serialized answer the gateway did not summarise as it made it (refusals at the edge). */
export function payloadSummary(payload: unknown): RequestSummary {
  if (typeof payload !== 'string' || payload.length > MAX_PARSED_BYTES) return NONE;
  try {
    const body = JSON.parse(payload) as { errors?: unknown };
    return Array.isArray(body?.errors) ? requestSummary(body.errors as GraphQLFormattedError[]) : NONE;
  } catch {
    return NONE;
  }
}
