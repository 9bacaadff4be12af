// The gateway in a process of its own, started by server/supervisor.ts: it composes the running
// providers' live SDL, opens the stores, listens and reports its URL; the parent prints the banner.

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
  const served = await serveSupergraph(start.providers, start);
  try {
    return { url: await served.gateway.listen({ host: start.host, port: start.port }), close: () => served.close() };
  } catch (error) {
    await served.close();
    throw error;
  }
});
