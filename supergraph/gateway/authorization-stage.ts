// The authorization stages of a /graphql request: authenticate → state a purpose → (validate
// against the contract) → prune denied fields before planning → (execute the plan, re-check
// under the shield) → null the denials → record the access before the response leaves.

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import { AuditTrailUnavailable, type AccessRecord, type AccessTrail } from '../audit/index.ts';
import { ERRORS, errorBody, type ErrorCode } from '../errors/index.ts';
import type { GrantService } from '../grants/index.ts';
import { statedPurpose, type Authenticator } from '../identity/index.ts';
import type { LabelCatalog, LabelOverlay } from '../labels/index.ts';
import type { ObjectionService } from '../objections/index.ts';
import type { OperationStore } from '../operations/index.ts';
import {
  applyDenials, collapseRowDenials, forbiddenRowError, requestAuthorization,
  type EnforcementMode, type PrunedOperation, type RequestAuthorization,
} from '../policy/index.ts';

export interface AuthorizationOptions {
  /** The catalogue of the supergraph served now (a live one follows schema swaps). */
  catalog: LabelCatalog;
  /** The operator's overlay the catalogue was built with; a schema swap rebuilds the catalogue under it. */
  labelOverlay?: LabelOverlay;
  authenticate: Authenticator;
  grants: GrantService;
  /** Where access and decision records are written and read: one replica's SQLite trail, or the trail replicas share. */
  access: AccessTrail;
  mode: EnforcementMode;
  objections?: ObjectionService;
  /** Trusted documents: the operations apps registered. */
  operations?: OperationStore;
}

declare module 'fastify' {
  interface FastifyRequest {
    authz?: RequestAuthorization;
    /** The document text asked for, once read. */
    graphqlSource?: string;
    /** Set once execution finished: what the answer carried. */
    answered?: { returned: string[]; entities: number; errors: number; valueDigests?: string[] };
  }
}

export const PURPOSE_HEADER = 'x-jointgraph-purpose';

function refuse(reply: FastifyReply, status: number, code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).send(errorBody(code, message, extra));
}

/** Fastify preHandler: who asks, and why. Failures never say whether an app exists. */
export function authenticateRequest(options: AuthorizationOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const authenticated = await options.authenticate(request.headers, (reason) => request.log.info({ reason }, 'credentials refused'));
    if (!authenticated) return refuse(reply, 401, 'UNAUTHENTICATED', 'Missing or invalid credentials.');
    const { requester, purposeClaim } = authenticated;
    const header = request.headers[PURPOSE_HEADER];
    const stated = statedPurpose(requester, Array.isArray(header) ? header[0] : header, purposeClaim);
    if (!('purpose' in stated)) return refuse(reply, ERRORS[stated.code].status, stated.code, stated.message);
    request.authz = requestAuthorization(options.catalog, requester, stated.purpose, options.grants.active(requester.appId), options.mode);
  };
}

/**
 * A pruned operation is shared by every request of the same authorization scope; the verdicts'
 * reasons and messages (which name the app and purpose) are this request's own.
 */
export function ownDenials(pruned: PrunedOperation, authz: RequestAuthorization): PrunedOperation {
  if (pruned.denied.length === 0) return pruned;
  return {
    ...pruned,
    denied: pruned.denied.map((d) => {
      const verdict = authz.verdictFor(d.decidedAt);
      return verdict.allowed ? d : { ...d, verdict };
    }),
  };
}

/** The reject mode's refusal: every denied path, nothing asked of any provider. */
export function rejection(pruned: PrunedOperation): { errors: GraphQLFormattedError[] } {
  return errorBody('OPERATION_REJECTED', 'The operation asks for fields you are not granted.', {
    denied: pruned.denied.map((d) => ({ path: d.path, coordinate: d.coordinate, reason: d.verdict.reason, message: d.verdict.message })),
  });
}

/** After execution: denied fields null with FORBIDDEN_FIELD, withheld records whole, or the dry-run report. */
export function settleDenials(result: ExecutionOutcome, authz: RequestAuthorization, shared: PrunedOperation): void {
  const pruned = ownDenials(shared, authz);
  if (authz.mode === 'dry-run') {
    result.extensions = {
      ...result.extensions,
      authorization: { dryRun: true, wouldDeny: pruned.denied.map((d) => ({ path: d.path, coordinate: d.coordinate, reason: d.verdict.reason })) },
    };
    return;
  }
  const denials = applyDenials(result.data, pruned, { appId: authz.requester.appId, purpose: authz.purpose });
  const errors = collapseRowDenials(result.data, [...result.errors.map((e) => withheldAtSource(e, authz)), ...denials]);
  result.errors = errors;
}

/**
 * A provider that kept a district-limited call to its district withheld a record's field at the
 * source (`FORBIDDEN_ROW` from the provider): the requester is told as if the gateway's own row
 * rule had withheld it. Only for a district-limited requester; otherwise it stays a provider error.
 */
function withheldAtSource(error: GraphQLFormattedError, authz: RequestAuthorization): GraphQLFormattedError {
  const provider = error.extensions?.providerError as { code?: unknown } | undefined;
  if (error.extensions?.code !== 'SUBGRAPH_ERROR' || provider?.code !== 'FORBIDDEN_ROW' || !authz.requester.district || !error.path) return error;
  const coordinate = typeof error.extensions?.coordinate === 'string' ? error.extensions.coordinate : undefined;
  return { ...forbiddenRowError(coordinate ?? '', authz.requester.district).toJSON(), path: error.path };
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

export interface ExecutionOutcome {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/**
 * Fastify onSend: the access record is written before the response leaves. When it cannot be,
 * the answer is replaced by a 503 (the trail's code): no data leaves without its record.
 */
export function recordAccess(options: AuthorizationOptions) {
  const recordOf = (request: FastifyRequest, reply: FastifyReply): AccessRecord => {
    const authz = request.authz;
    const source = request.graphqlSource;
    const status = reply.statusCode;
    const answered = request.answered;
    const denied = authz?.pruned?.denied.map((d) => d.coordinate) ?? [];
    const outcome = answered ? (denied.length > 0 || answered.errors > 0 ? 'PARTIAL' : 'OK') : refusalOutcome(request.summary?.codes[0], status);
    return {
      at: new Date().toISOString(),
      appId: authz?.requester.appId ?? null,
      department: authz?.requester.department ?? null,
      purpose: authz?.purpose ?? null,
      operationHash: typeof source === 'string' ? createHash('sha256').update(source).digest('hex') : null,
      returned: answered?.returned ?? [],
      denied: [...new Set(denied)].sort(),
      providers: [...(authz?.providers ?? [])].sort(),
      entities: answered?.entities ?? 0,
      outcome,
      status,
      requestId: request.id,
      ...(answered?.valueDigests?.length ? { valueDigests: answered.valueDigests } : {}),
    };
  };
  return async <P>(request: FastifyRequest, reply: FastifyReply, payload: P): Promise<P | string> => {
    const record = recordOf(request, reply);
    try {
      await options.access.append(record);
      return payload;
    } catch (error) {
      const code: ErrorCode = error instanceof AuditTrailUnavailable ? error.code : 'NOT_READY';
      request.log.error({ err: error }, 'access record not written; the answer is withheld');
      // The record may be on the trail all the same (committed, then confirmed too late): a WITHHELD
      // record follows it there, so the trail never names the app a recipient of this answer.
      options.access.withheld(record, ERRORS[code].status).then(
        (written) => written && request.log.warn({ requestId: request.id }, 'the answer was withheld after its record was written: a WITHHELD record follows it'),
        (failed) => request.log.error({ err: failed }, 'the withheld answer\'s record could not be marked WITHHELD'),
      );
      request.summary = { codes: [code], limits: [] };
      reply.code(ERRORS[code].status).removeHeader('etag').removeHeader('cache-control').type(`${request.graphqlMediaType}; charset=utf-8`);
      // Too many records already waiting: the trail is up but behind.
      if (code === 'SERVICE_UNAVAILABLE') reply.header('retry-after', '1');
      return JSON.stringify(errorBody(code, 'The answer is withheld: its access record could not be written. Retry shortly, or through another replica.'));
    }
  };
}
