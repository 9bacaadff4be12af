// What `jointgraph serve`, `npm start` and `npm run gateway` share: load the configuration (the
// environment wins over the file), serve it, print where, and stop cleanly on Ctrl-C or SIGTERM.

import { fileURLToPath } from 'node:url';
import { StateDirLockedError } from '../server/instance-lock.ts';
import { serve, type Serving } from '../server/serve.ts';
import { ProcessStartError } from '../server/supervisor.ts';
import { announceWorker, serveWorkers, workerIndex, workerSettings } from '../server/workers.ts';
import { ConfigError, loadConfiguration, type Settings } from '../supergraph/config/index.ts';
import { CompositionFailedError, SdlUnavailableError } from '../supergraph/compose/index.ts';
import { StoreUnavailableError } from '../supergraph/stores/index.ts';

// Fields any authenticated app may receive (UNCONDITIONAL), so the first request answers without
// denials; the banner says how CONDITIONAL fields are obtained instead of showing them refused.
const EXAMPLE = `{
  enterprises(first: 2) {
    creditCode name status district
    taxCreditRating taxRatedOn
  }
}`;

export interface ServeCommand {
  config: string;
  /** A composed supergraph to serve instead of composing the subgraphs live; `true`: the `providers.supergraphFile` setting. */
  supergraph?: string | true;
  /** Flags that stand for variables, e.g. --port for JG_PORT. */
  env?: Record<string, string>;
}

export function runServe(command: ServeCommand): void {
  void main(command).catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof StateDirLockedError || error instanceof StoreUnavailableError) console.error(`[${error.code}] ${error.message}`);
    else if (error instanceof ProcessStartError) console.error(error.message);
    else if (error instanceof SdlUnavailableError) console.error(`[COMPOSITION_FAILED] ${error.message}: the gateway composes the providers' live schemas at start; start them first, or serve a composed supergraph (--supergraph FILE)`);
    else if (error instanceof CompositionFailedError) console.error(`[${error.code}] ${error.message}`);
    else console.error(error);
    process.exit(1);
  });
}

/** How often the process checks that whoever started it is still there. */
const ORPHAN_CHECK_MS = 500;

async function main(command: ServeCommand): Promise<void> {
  const settings = loadConfiguration(command.config, { ...process.env, ...command.env });
  const started = Date.now();
  let serving: Serving | undefined;
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the gateway${settings.sampleProviders ? ' and the providers' : ''}…`);
    await serving?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  // `npm start` runs this under `sh -c`, which dies of a SIGTERM without passing it on: a process
  // left to another parent stops as if it had been told to (its children follow over IPC).
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop('parent gone', 0), ORPHAN_CHECK_MS).unref();
  const onLockLost = (error: Error) => {
    console.error(`[STATE_DIR_LOCKED] lost the lock on ${settings.stateDir}: ${error.message}`);
    void stop('state directory lock lost', 1);
  };
  const supergraphFile = command.supergraph ? { supergraphFile: command.supergraph === true ? settings.supergraphFile : command.supergraph } : {};
  const index = workerIndex();
  if (index !== undefined) {
    // A worker of server.workers: it serves, the primary holds the lock and prints the banner.
    serving = await serve(workerSettings(settings, index), { ...supergraphFile, lockHeldByPrimary: true });
    announceWorker(serving);
    return;
  }
  if (settings.workers > 1) {
    const exec = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './serve-worker.ts' : './serve-worker.js', import.meta.url));
    const workers = await serveWorkers(settings, { exec, command }, onLockLost);
    serving = workers;
    banner(settings, serving, Date.now() - started);
    console.log(`${settings.workers} gateway workers on one port: pids ${workers.pids().join(', ')}\n`);
    return;
  }
  serving = await serve(settings, { ...supergraphFile, onLockLost });
  banner(settings, serving, Date.now() - started);
}

function banner(settings: Readonly<Settings>, serving: Serving, ms: number): void {
  const address = serving.url;
  const what = settings.sampleProviders ? `${settings.city.persons} persons, ${settings.city.enterprises} enterprises` : `subgraphs ${serving.subgraphs.join(', ')}`;
  console.log(`\nJointGraph gateway ready in ${ms} ms (pid ${process.pid}; ${settings.configFile}; ${what})`);
  console.log(`  GraphQL   ${address}/graphql`);
  console.log(`  GraphiQL  ${address}/graphiql`);
  console.log(`  health    ${address}/health`);
  if (serving.authorization) {
    console.log(`  admin     ${address}/admin/graphql   (authorization: ${settings.authzMode})`);
    console.log(`  console   ${address}/console`);
  }
  if (!settings.sampleProviders) return;
  const credentials = serving.authorization ? `-H 'x-api-key: jg-demo-tax-inspection' -H 'x-jointgraph-purpose: tax-inspection/CASE-2026-0042' ` : '';
  console.log(`\nTry:\n  curl -s ${address}/graphql -H 'content-type: application/json' ${credentials}\\\n    -d '${JSON.stringify({ query: EXAMPLE.replace(/\s+/g, ' ') })}'\n`);
  if (serving.authorization) console.log('CONDITIONAL fields (Enterprise.taxArrears, Person.name, …) answer FORBIDDEN_FIELD until the provider and the operator approve an application (console: Applications).\n');
}
