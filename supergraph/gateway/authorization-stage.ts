// The authorization stages of a /graphql request: authenticate → state a purpose → (validate
// against the contract) → prune denied fields before planning → (execute the plan, re-check
// under the shield) → null the denials → record the access before the response leaves
// (access-record.ts, from the operation's result).

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import type { AccessTrail } from '../audit/index.ts';
import { ERRORS, errorBody, type ErrorCode } from '../errors/index.ts';
import type { GrantService } from '../grants/index.ts';
import { statedPurpose, type Authenticator } from '../identity/index.ts';
import type { LabelCatalog, LabelOverlay } from '../labels/index.ts';
import type { ObjectionService } from '../objections/index.ts';
import type { DemandService } from '../demands/index.ts';
import type { NotificationService } from '../notifications/index.ts';
import type { OperationStore } from '../operations/index.ts';
import {
  applyDenials, collapseRowDenials, forbiddenRowError, requestAuthorization,
  type EnforcementMode, type PrunedOperation, type RequestAuthorization,
} from '../policy/index.ts';
import type { OperationResult } from './operation-result.ts';

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
  /** Data demands, for the admin endpoint. */
  demands?: DemandService;
  /** The inbox, webhooks and channel choices, for the admin endpoint. */
  notifications?: NotificationService;
}

declare module 'fastify' {
  interface FastifyRequest {
    authz?: RequestAuthorization;
    /** The document text asked for, once read. */
    graphqlSource?: string;
    /** Set once the operation ran: its result, handed forward to the access record and the completion line. */
    operation?: OperationResult;
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
export function settleDenials(result: ExecutionOutcome, authz: RequestAuthorization, shared: PrunedOperation): ExecutionOutcome {
  const pruned = ownDenials(shared, authz);
  if (authz.mode === 'dry-run') {
    return {
      ...result,
      extensions: {
        ...result.extensions,
        authorization: { dryRun: true, wouldDeny: pruned.denied.map((d) => ({ path: d.path, coordinate: d.coordinate, reason: d.verdict.reason })) },
      },
    };
  }
  const denials = applyDenials(result.data, pruned, { appId: authz.requester.appId, purpose: authz.purpose });
  return { ...result, errors: collapseRowDenials(result.data, [...result.errors.map((e) => withheldAtSource(e, authz)), ...denials]) };
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

export interface ExecutionOutcome {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}
