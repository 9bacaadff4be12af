// The runtime the gateway serves now, and the swap to another: the new runtime is built whole
// before it replaces the reference, so a failed build leaves the working one in place; the old one
// closes once the requests holding it are done. Swaps run one at a time; one to what is served
// already (a replica's own relabelling, then the same overlay from the shared store's change event)
// builds nothing.

import { sameOverlay, type LabelOverlay, type LiveCatalog } from '../labels/index.ts';
import { buildRuntime, type GatewayRuntime, type RuntimeShared } from './gateway-runtime.ts';

export interface RuntimeSwapper {
  readonly current: GatewayRuntime;
  readonly overlay: LabelOverlay | undefined;
  /**
   * Serves `supergraphSdl` (and `overlay`, when given) from the next request on; rejects, changing
   * nothing, when the runtime cannot be built. No supergraph: the one served when the swap runs
   * (a relabelling never undoes a publication queued before it). Resolves at once, building
   * nothing, when both are the ones served when it runs.
   */
  swap(supergraphSdl: string | undefined, overlay?: LabelOverlay): Promise<void>;
  close(): Promise<void>;
}

const isLive = (catalog: unknown): catalog is LiveCatalog => typeof (catalog as Partial<LiveCatalog>).replace === 'function';

export async function runtimeSwapper(shared: RuntimeShared, supergraphSdl: string, overlay: LabelOverlay | undefined): Promise<RuntimeSwapper> {
  let current = await buildRuntime(shared, supergraphSdl, overlay);
  let currentOverlay = overlay;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get current() {
      return current;
    },
    get overlay() {
      return currentOverlay;
    },
    swap(sdl, nextOverlay) {
      const run = queue.then(async () => {
        const sameSdl = sdl === undefined || sdl === current.supergraphSdl;
        if (sameSdl && (nextOverlay === undefined || sameOverlay(nextOverlay, currentOverlay))) return;
        const next = await buildRuntime(shared, sdl ?? current.supergraphSdl, nextOverlay ?? currentOverlay);
        const old = current;
        current = next;
        currentOverlay = nextOverlay ?? currentOverlay;
        const catalog = shared.authorization?.catalog;
        if (isLive(catalog)) catalog.replace(next.catalog);
        void old.retire();
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      await current.retire();
    },
  };
}
