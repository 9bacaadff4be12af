// The authorization stages of a /graphql request, as Fastify and mercurius hooks:
// authenticate → state a purpose → (validate against the contract) → prune denied fields
// before planning → execute under the shield → null the denials → record the access.

import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { returnedCoordinates, type AuditLog } from '../audit/index.ts';
import { ERRORS, type ErrorCode } from '../errors/index.ts';
import type { GrantService } from '../grants/index.ts';
import type { Authenticator } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { ObjectionService } from '../objections/index.ts';
import {
  applyDenials, collapseRowDenials, pruneDeniedFields, requestAuthorization,
  type EnforcementMode, type RequestAuthorization,
} from '../policy/index.ts';

export interface AuthorizationOptions {
  catalog: LabelCatalog;
  authenticate: Authenticator;
  grants: GrantService;
  audit: AuditLog;
  mode: EnforcementMode;
  objections?: ObjectionService;
}

declare module 'fastify' {
  interface FastifyRequest {
    authz?: RequestAuthorization;
    /** Set once execution finished: what the answer carried. */
    answered?: { returned: string[]; entities: number; errors: number };
  }
}

export const PURPOSE_HEADER = 'x-jointgraph-purpose';
const EMPTY_QUERY = parse('{ __typename }');

function refuse(reply: FastifyReply, status: number, code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).send({ errors: [{ message, extensions: { code, hint: ERRORS[code].hint, ...extra } }] });
}

/** Fastify preHandler: who asks, and why. Failures never say whether an app exists. */
export function authenticateRequest(options: AuthorizationOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const authenticated = await options.authenticate(request.headers);
    if (!authenticated) return refuse(reply, 401, 'UNAUTHENTICATED', 'Missing or invalid credentials.');
    const header = request.headers[PURPOSE_HEADER];
    const purpose = (Array.isArray(header) ? header[0] : header)?.trim() || authenticated.purposeClaim?.trim();
    if (!purpose) return refuse(reply, 400, 'PURPOSE_REQUIRED', `Every data request states its purpose (header ${PURPOSE_HEADER} or a purpose claim).`);
    if (purpose.length > 200) return refuse(reply, 400, 'PURPOSE_REQUIRED', 'A purpose is at most 200 characters.');
    const { requester } = authenticated;
    request.authz = requestAuthorization(options.catalog, requester, purpose, options.grants.active(requester.appId), options.mode);
  };
}

interface MercuriusContext {
  authz?: RequestAuthorization;
  reply?: FastifyReply;
}

function operationNameOf(request: FastifyRequest | undefined): string | null {
  const params = (request?.method === 'GET' ? request.query : request?.body) as { operationName?: unknown } | undefined;
  return typeof params?.operationName === 'string' ? params.operationName : null;
}

/** mercurius hooks: prune before planning, null the denials after execution. */
export function addAuthorizationHooks(app: FastifyInstance, schema: GraphQLSchema, options: AuthorizationOptions): void {
  app.graphql.addHook('preExecution', async (_schema, document: DocumentNode, context: MercuriusContext) => {
    const authz = context.authz;
    if (!authz) return;
    const pruned = pruneDeniedFields({ schema, document, operationName: operationNameOf(context.reply?.request), verdictFor: authz.verdictFor });
    authz.pruned = pruned;
    if (pruned.denied.length > 0 && authz.mode === 'reject') {
      const error = Object.assign(new Error('The operation asks for fields you are not granted.'), {
        code: 'JG_OPERATION_REJECTED',
        statusCode: 403,
        denied: pruned.denied.map((d) => ({ path: d.path, coordinate: d.coordinate, reason: d.verdict.reason, message: d.verdict.message })),
      });
      throw error;
    }
    if (authz.mode === 'dry-run') return;
    return { document: pruned.nothingLeft ? EMPTY_QUERY : pruned.document };
  });

  app.graphql.addHook('onResolution', async (execution, context: MercuriusContext) => {
    const authz = context.authz;
    const pruned = authz?.pruned;
    if (!authz || !pruned) return;
    const result = execution as { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[]; extensions?: Record<string, unknown> };
    if (authz.mode === 'dry-run') {
      result.extensions = {
        ...result.extensions,
        authorization: { dryRun: true, wouldDeny: pruned.denied.map((d) => ({ path: d.path, coordinate: d.coordinate, reason: d.verdict.reason })) },
      };
    } else {
      if (pruned.nothingLeft && result.data) delete result.data.__typename;
      const denials = applyDenials(result.data, pruned, { appId: authz.requester.appId, purpose: authz.purpose });
      const errors = collapseRowDenials(result.data, [...(result.errors ?? []).map((e) => ('toJSON' in e ? (e as { toJSON(): GraphQLFormattedError }).toJSON() : e)), ...denials]);
      if (errors.length > 0) result.errors = errors;
    }
    const returned = returnedCoordinates(schema, pruned.document, result.data, options.catalog.entityTypes);
    context.reply!.request.answered = { returned: returned.coordinates, entities: returned.entities, errors: result.errors?.length ?? 0 };
  });
}

/** Fastify onSend: the access record is written before the response leaves. */
export function recordAccess(options: AuthorizationOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const authz = request.authz;
    const source = (request.body as { query?: unknown } | undefined)?.query ?? (request.query as { query?: unknown } | undefined)?.query;
    const status = reply.statusCode;
    const answered = request.answered;
    const denied = authz?.pruned?.denied.map((d) => d.coordinate) ?? [];
    const outcome =
      status === 401 ? 'UNAUTHENTICATED'
      : status === 403 ? 'REJECTED'
      : !authz ? (status === 400 ? 'PURPOSE_REQUIRED' : 'REFUSED')
      : !answered ? 'INVALID'
      : denied.length > 0 || answered.errors > 0 ? 'PARTIAL'
      : 'OK';
    options.audit.append({
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
    });
  };
}
