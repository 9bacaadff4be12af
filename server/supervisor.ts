// Runs each sample provider, and the gateway, in a child process and restarts one that dies, after
// a growing wait and on the same port, so the URLs composed and printed stay valid and one crash
// stays one crash.

import { fork, type ChildProcess } from 'node:child_process';
import { fromPackageRoot, type CitySettings } from '../supergraph/config/index.ts';
import type { GatewayProcessStart } from './gateway-process.ts';
import type { ProviderProcessStart } from './provider-process.ts';
import type { ProviderTrust } from './sample-platform.ts';
import { DEFAULT_BACKOFF, restartDelay, type Backoff } from './restart-backoff.ts';
import type { ChildReport } from './supervised-child.ts';

// Children run the build with plain node, also when the supervisor itself runs from its sources (tests):
// loading TypeScript costs a child seconds of CPU at every start and restart.
const PROVIDER_ENTRY = fromPackageRoot('dist/server/provider-process.js');
const GATEWAY_ENTRY = fromPackageRoot('dist/server/gateway-process.js');
const STOP_GRACE_MS = 5_000;

/** A child's first start failed; the message says which child and why. */
export class ProcessStartError extends Error {}

export interface SupervisedProvidersOptions {
  host: string;
  /** 0 for a free port per provider (kept across restarts); otherwise provider k listens on basePort + k. */
  subgraphBasePort: number;
  dataDir: string;
  city: CitySettings;
  /** Whom the providers answer (the gateway's public key); anyone without it. */
  trust?: ProviderTrust;
  backoff?: Backoff;
  /** Which providers (the sample ones by default); provider k of ALL_PROVIDERS listens on basePort + k. */
  names?: readonly string[];
}

export interface SupervisedProcess {
  url: string;
  /** Stops the process for good. */
  close(): Promise<void>;
}

export interface SupervisedProvider extends SupervisedProcess {
  name: string;
}

interface ChildSpec<S extends { port: number }> {
  kind: 'provider' | 'gateway';
  name?: string;
  entry: string;
  start: S;
  backoff: Backoff | undefined;
}

export async function startSupervisedProviders(options: SupervisedProvidersOptions): Promise<SupervisedProvider[]> {
  // Loaded here: the supervisor names providers; their code runs in the children it starts.
  const { ALL_PROVIDERS, SAMPLE_PROVIDERS } = await import('../subgraphs/index.ts');
  const chosen = options.names ? ALL_PROVIDERS.filter((p) => options.names!.includes(p.name)) : SAMPLE_PROVIDERS;
  const starts = chosen.map(async (p): Promise<SupervisedProvider> => {
    const port = options.subgraphBasePort === 0 ? 0 : options.subgraphBasePort + ALL_PROVIDERS.indexOf(p);
    const start: ProviderProcessStart = { provider: p.name, host: options.host, port, dataDir: options.dataDir, city: options.city, ...(options.trust ? { trust: options.trust } : {}) };
    return { name: p.name, ...(await superviseChild({ kind: 'provider', name: p.name, entry: PROVIDER_ENTRY, start, backoff: options.backoff })) };
  });
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s) => s.status === 'rejected');
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (!failed) return started;
  await Promise.all(started.map((p) => p.close()));
  throw failed.reason;
}

/** The gateway's process, in front of providers already listening. */
export function startSupervisedGateway(start: GatewayProcessStart, backoff?: Backoff): Promise<SupervisedProcess> {
  return superviseChild({ kind: 'gateway', entry: GATEWAY_ENTRY, start, backoff });
}

/** Starts one child; resolves once it listens, rejects if the first start fails. */
async function superviseChild<S extends { port: number }>(spec: ChildSpec<S>): Promise<SupervisedProcess> {
  const backoff = spec.backoff ?? DEFAULT_BACKOFF;
  const title = [spec.kind, spec.name].filter(Boolean).join(' ');
  // Aligned, so the pids and URLs of all six children read as one table.
  const column = `${spec.kind.padEnd(9)} ${(spec.name ?? '').padEnd(17)}`;
  let child: ChildProcess | undefined;
  let readyAt: number | undefined;
  let lastDelay: number | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let restartWith: S | undefined;
  let stopping = false;

  const launch = (settings: S): Promise<string> => {
    // None of this process's node flags (a test runner's loader, say); 'advanced' serialization, so
    // settings holding a Map (the cache policy) cross intact.
    const spawned = fork(spec.entry, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child = spawned;
    readyAt = undefined;
    spawned.once('exit', (code, signal) => {
      if (restartWith && !stopping) scheduleRestart(exitReason(code, signal));
    });
    const ready = new Promise<string>((resolve, reject) => {
      spawned.once('message', (report: ChildReport) => {
        if ('error' in report) return reject(new ProcessStartError(`${title}: ${report.error}`));
        readyAt = Date.now();
        console.log(`${column} pid ${String(spawned.pid).padEnd(7)} ${report.url}${restartWith ? '  (restarted)' : ''}`);
        resolve(report.url);
      });
      spawned.once('exit', (code, signal) => reject(new ProcessStartError(`${title} exited (${exitReason(code, signal)}) before it listened`)));
      // A failed spawn or a message to a child that just died; its exit, if any, restarts it.
      spawned.on('error', (error) => reject(new ProcessStartError(`${title}: ${error.message}`)));
    });
    spawned.send(settings);
    return ready;
  };

  const scheduleRestart = (reason: string): void => {
    lastDelay = restartDelay(lastDelay, readyAt === undefined ? 0 : Date.now() - readyAt, backoff);
    console.error(`${column} died (${reason}); restarting in ${lastDelay} ms`);
    restartTimer = setTimeout(() => {
      launch(restartWith!).catch((error: Error) => {
        if (!stopping) console.error(error.message);
      });
    }, lastDelay);
  };

  const url = await launch(spec.start);
  // Restarts take the port the first start got, so the URL composed into the supergraph (or printed) stays valid.
  restartWith = { ...spec.start, port: Number(new URL(url).port) };

  return {
    url,
    async close() {
      stopping = true;
      clearTimeout(restartTimer);
      if (child) await stopChild(child);
    },
  };
}

function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(grace);
}
