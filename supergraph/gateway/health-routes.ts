// Liveness, readiness and metrics, as a plugin of their own. Provider URLs and per-field measures
// are the operator's: with authorization on, only its admin token reads /metrics and the detailed
// /health and /ready; load balancers get the bare status.

import type { FastifyInstance } from 'fastify';
import { operatorCheck } from '../admin/index.ts';
import { errorBody } from '../errors/index.ts';
import { checkHealth, type ProbeHeaders } from '../execution/index.ts';
import type { ServiceMetrics } from '../quality/service-metrics.ts';
import type { AuthorizationOptions } from './authorization-stage.ts';
import { JSON_TYPE } from './media-type.ts';

export interface HealthRoutesOptions {
  authorization: AuthorizationOptions | undefined;
  metrics: ServiceMetrics;
  /** The providers of the runtime serving now. */
  providers: () => readonly { name: string; url: string }[];
  healthTimeoutMs: number;
  probeHeaders: ProbeHeaders | undefined;
}

export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  const { authorization, metrics, healthTimeoutMs, probeHeaders } = options;
  const operator = operatorCheck({ required: Boolean(authorization), principal: authorization?.authenticate.principal });
  const probe = async () => {
    const report = await checkHealth(options.providers(), healthTimeoutMs, probeHeaders);
    metrics.recordProbe(report);
    return report;
  };
  // Liveness: 200 while the process serves, whatever the providers' state.
  app.get('/health', async (request) => {
    const report = await probe();
    return (await operator(request.headers)).ok ? report : { status: report.status };
  });
  // Readiness: 503 while the audit trail (every answer is recorded in it) is down or no provider answers.
  const storesUp = async (): Promise<Record<string, boolean>> => {
    if (!authorization) return {};
    return authorization.access.probe().then(() => ({ audit: true }), () => ({ audit: false }));
  };
  app.get('/ready', async (request, reply) => {
    const report = await probe();
    const stores = await storesUp();
    const down = Object.keys(stores).filter((name) => !stores[name]);
    const reachable = report.subgraphs.filter((s) => s.reachable).length;
    const details = (await operator(request.headers)).ok ? { stores, providers: report.subgraphs } : {};
    if (down.length === 0 && reachable > 0) return { status: 'ready', ...details };
    const why = down.length > 0 ? `the ${down.join(', ')} store is down` : 'no provider answers';
    return reply.code(503).type(JSON_TYPE).send(errorBody('NOT_READY', `The gateway is not ready: ${why}.`, details));
  });
  app.get('/metrics', async (request, reply) => {
    const check = await operator(request.headers);
    if (!check.ok) return reply.code(check.status).type(JSON_TYPE).send(check.body);
    return reply.type(metrics.registry.contentType).send(await metrics.exposition());
  });
}
