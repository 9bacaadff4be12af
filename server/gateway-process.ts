// The gateway in a process of its own, started by server/supervisor.ts: it composes the running
// providers' live SDL, opens the stores, listens and reports its URL; the parent prints the banner.

import { loadSettings } from '../supergraph/config/index.ts';
import type { AuthorizationSettings } from './authorization.ts';
import { serveSupergraph, type SupergraphOptions } from './sample-platform.ts';
import { serveSupervised } from './supervised-child.ts';

/** Only data crosses to the child: no callbacks, no clocks. */
export interface GatewayProcessStart {
  host: string;
  port: number;
  providers: { name: string; url: string }[];
  gateway: Omit<SupergraphOptions['gateway'], 'onSubgraphCall' | 'cacheClock'>;
  authorization?: Omit<AuthorizationSettings, 'now'>;
  timeouts?: Readonly<Record<string, number>>;
  /** The gateway's private signing key. */
  callerJwk?: SupergraphOptions['callerJwk'];
}

serveSupervised(async (start: GatewayProcessStart) => {
  // Logs and traces belong to the process that serves: its environment names the level and the collector.
  const settings = loadSettings(process.env);
  const gateway = { logger: { level: settings.logLevel }, ...(settings.otlpEndpoint ? { tracing: { endpoint: settings.otlpEndpoint } } : {}), ...start.gateway };
  const served = await serveSupergraph(start.providers, { ...start, gateway });
  try {
    return { url: await served.gateway.listen({ host: start.host, port: start.port }), close: () => served.close() };
  } catch (error) {
    await served.close();
    throw error;
  }
});
