// A sample provider with the benchmark's added latency: every resolver of one provider request
// first waits on the same timer, started by the request's first resolver, so each request to the
// provider takes `latencyMs` longer once, whatever it asks for. At 0 ms nothing waits.

import type { ProviderDefinition, ResolverMap } from '../../subgraphs/index.ts';
import type { SubgraphTraffic } from '../kit/subgraph-traffic.ts';

type Resolver = (...args: unknown[]) => unknown;

export function withAddedLatency(provider: ProviderDefinition, traffic: SubgraphTraffic): ProviderDefinition {
  const timers = new WeakMap<object, Promise<void>>();
  const waitFor = (context: unknown): Promise<void> => {
    const key = context as object;
    let timer = timers.get(key);
    if (!timer) {
      timer = new Promise((resolve) => setTimeout(resolve, traffic.latencyMs));
      timers.set(key, timer);
    }
    return timer;
  };
  // Providers write __resolveReference(reference, context, info) and fields (parent, args, context, info).
  const delayed = (resolve: Resolver, contextAt: number): Resolver => (...args) =>
    traffic.latencyMs === 0 ? resolve(...args) : waitFor(args[contextAt]).then(() => resolve(...args));

  const resolvers: ResolverMap = Object.fromEntries(
    Object.entries(provider.resolvers).map(([type, fields]) => [
      type,
      Object.fromEntries(
        Object.entries(fields as Record<string, unknown>).map(([field, resolve]) =>
          typeof resolve === 'function' ? [field, delayed(resolve as Resolver, field === '__resolveReference' ? 1 : 2)] : [field, resolve],
        ),
      ),
    ]),
  );
  return { ...provider, resolvers };
}
