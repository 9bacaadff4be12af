// The harness's side of a subgraph process: start it, read its request counters, set the
// latency it adds, and capture the requests one gateway request causes.

import { join } from 'node:path';
import type { SubgraphProcessReady } from '../kit/ready-line.ts';
import type { CapturedRequest, SubgraphCount, TrafficSnapshot } from '../kit/subgraph-traffic.ts';
import { spawnChild, TSX, type Child } from '../measure/child.ts';
import { processTicks } from '../measure/cpu-usage.ts';
import type { Domain } from '../plan/domains.ts';

export interface SubgraphProcess {
  child: Child<SubgraphProcessReady>;
  ready: SubgraphProcessReady;
  stats(): Promise<TrafficSnapshot>;
  /**
   * Counters once they stop moving and `busyPids` have gone idle: a gateway still finishes the
   * requests the driver left in flight, and their subgraph requests count too.
   */
  settledStats(busyPids: readonly number[]): Promise<TrafficSnapshot>;
  setLatency(ms: number): Promise<void>;
  startCapture(): Promise<void>;
  stopCapture(): Promise<CapturedRequest[]>;
}

export interface TrafficDelta {
  requests: number;
  representations: number;
  perSubgraph: Record<string, SubgraphCount>;
}

export function trafficDelta(before: TrafficSnapshot, after: TrafficSnapshot): TrafficDelta {
  const perSubgraph: Record<string, SubgraphCount> = {};
  for (const [name, count] of Object.entries(after.subgraphs)) {
    const was = before.subgraphs[name] ?? { requests: 0, representations: 0 };
    const delta = { requests: count.requests - was.requests, representations: count.representations - was.representations };
    if (delta.requests > 0) perSubgraph[name] = delta;
  }
  const sum = (key: keyof SubgraphCount) => Object.values(perSubgraph).reduce((t, c) => t + c[key], 0);
  return { requests: sum('requests'), representations: sum('representations'), perSubgraph };
}

export async function startSubgraphProcess(domain: Domain, dir: string, cpu: number | undefined, args = domain.args): Promise<SubgraphProcess> {
  const child = await spawnChild<SubgraphProcessReady>(process.execPath, [...TSX, domain.entry, '--dir', dir, ...args], {
    cpu,
    logFile: join(dir, `${domain.id}-subgraphs.log`),
    readyTimeoutMs: 300_000,
  });
  const control = child.ready.control;
  const call = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const response = await fetch(`${control}${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  const stats = () => call<TrafficSnapshot>('GET', '/__stats');
  return {
    child,
    ready: child.ready,
    stats,
    async settledStats(busyPids) {
      const ticks = () => busyPids.reduce((t, pid) => t + processTicks(pid), 0);
      let last = JSON.stringify(await stats());
      let lastTicks = ticks();
      for (let quiet = 0, i = 0; quiet < 2 && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 150));
        const now = JSON.stringify(await stats());
        const nowTicks = ticks();
        // An idle Node process still wakes for a timer now and then: one tick (10 ms) is idle.
        quiet = now === last && nowTicks - lastTicks <= 1 ? quiet + 1 : 0;
        [last, lastTicks] = [now, nowTicks];
      }
      return JSON.parse(last) as TrafficSnapshot;
    },
    setLatency: async (ms) => void (await call('POST', '/__latency', { ms })),
    startCapture: async () => void (await call('POST', '/__capture/start')),
    stopCapture: () => call<CapturedRequest[]>('POST', '/__capture/stop'),
  };
}
