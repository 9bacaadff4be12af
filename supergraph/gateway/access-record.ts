// The audit stage of a /graphql request (onSend): the access record, made from the operation's
// result the handler handed forward, or for a request refused before it ran, from the refusal's
// code. No data leaves without its record.

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditTrailUnavailable, type AccessRecord, type AccessTrail } from '../audit/index.ts';
import { ERRORS, errorBody, type ErrorCode } from '../errors/index.ts';
import { refusalOutcome } from './operation-result.ts';

function recordOf(request: FastifyRequest, reply: FastifyReply): AccessRecord {
  const { authz, operation } = request;
  const source = request.graphqlSource;
  const status = reply.statusCode;
  const answered = operation?.answered;
  return {
    at: new Date().toISOString(),
    appId: authz?.requester.appId ?? null,
    department: authz?.requester.department ?? null,
    purpose: authz?.purpose ?? null,
    operationHash: typeof source === 'string' ? createHash('sha256').update(source).digest('hex') : null,
    returned: answered?.returned ?? [],
    denied: [...new Set(operation?.denied.map((d) => d.coordinate))].sort(),
    providers: [...(operation?.providers ?? [])].sort(),
    entities: answered?.entities ?? 0,
    outcome: operation?.outcome ?? refusalOutcome(request.summary?.codes[0], status),
    status,
    requestId: request.id,
    ...(answered?.valueDigests?.length ? { valueDigests: answered.valueDigests } : {}),
  };
}

/**
 * Fastify onSend: the access record is written before the response leaves. When it cannot be,
 * the answer is replaced by a 503 (the trail's code): no data leaves without its record.
 */
export function recordAccess(access: AccessTrail) {
  return async <P>(request: FastifyRequest, reply: FastifyReply, payload: P): Promise<P | string> => {
    const record = recordOf(request, reply);
    try {
      await access.append(record);
      return payload;
    } catch (error) {
      const code: ErrorCode = error instanceof AuditTrailUnavailable ? error.code : 'NOT_READY';
      request.log.error({ err: error }, 'access record not written; the answer is withheld');
      // The record may be on the trail all the same (committed, then confirmed too late): a WITHHELD
      // record follows it there, so the trail never names the app a recipient of this answer.
      access.withheld(record, ERRORS[code].status).then(
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
