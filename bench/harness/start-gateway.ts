// Starts one contender's gateway process in front of a running subgraph process.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayReady, SubgraphProcessReady } from '../kit/ready-line.ts';
import { entityOwners, toFederation1 } from '../gateways/fed1-sdl.ts';
import { ensureBuilt, JOINTGRAPH_CLI, servedConfiguration } from '../gateways/served-configuration.ts';
import { freePort, spawnChild, TSX, type Child } from '../measure/child.ts';
import type { Contender } from '../plan/contenders.ts';
import type { Domain } from '../plan/domains.ts';

export interface RunningGateway {
  contender: Contender;
  pid: number;
  url: string;
  /** Headers every request to it carries (the requester's credentials and purpose). */
  headers: Record<string, string>;
  /** Why the process is gone (from its log), or null while it runs. */
  exitReason(): string | null;
  stop(): Promise<void>;
}

function exitReason(child: Child<GatewayReady>, logFile: string): string | null {
  if (child.process.exitCode === null && child.process.signalCode === null) return null;
  const log = readFileSync(logFile, 'utf8');
  const fatal = /FATAL ERROR: [^\n]+|Error: [^\n]+/.exec(log)?.[0];
  return `the gateway process exited (${child.process.exitCode ?? child.process.signalCode})${fatal ? `: ${fatal}` : ''}`;
}

export interface Placement {
  dir: string;
  /** The core a gateway gets to itself while it is measured; undefined: nothing is pinned. */
  gatewayCpu?: number;
  /** Where gateways wait while another is measured (with the subgraphs and the load driver). */
  parkCpu?: number;
}

const path = (p: string) => new URL(`../../${p}`, import.meta.url).pathname;

/** Hive Gateway merges identical in-flight subgraph requests by default; every other gateway does not. */
const HIVE_CONFIG = `export const gatewayConfig = {
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
};
`;
const MERCURIUS_DIR = path('bench/gateways/mercurius');

/** The mercurius gateway keeps its own node_modules (graphql 16.14.0): install it on first use. */
export function ensureMercuriusInstalled(): void {
  if (existsSync(join(MERCURIUS_DIR, 'node_modules/@mercuriusjs/gateway'))) return;
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: MERCURIUS_DIR, stdio: 'inherit', timeout: 300_000 });
  if (result.status !== 0) throw new Error(`npm ci in ${MERCURIUS_DIR} failed (${result.status ?? result.signal})`);
}

function mercuriusServices(subgraphs: SubgraphProcessReady, dir: string): string {
  const sdls = Object.fromEntries(subgraphs.subgraphs.map((s) => [s.name, readFileSync(s.sdlFile, 'utf8')]));
  const owners = entityOwners(sdls);
  const services = subgraphs.subgraphs.map((s) => {
    const sdlFile = join(dir, `mercurius-${s.name}.graphql`);
    writeFileSync(sdlFile, toFederation1(s.name, sdls[s.name]!, owners));
    return { name: s.name, url: s.url, sdlFile };
  });
  const file = join(dir, 'mercurius-services.json');
  writeFileSync(file, JSON.stringify(services));
  return file;
}

export async function startGateway(contender: Contender, domain: Domain, subgraphs: SubgraphProcessReady, placement: Placement): Promise<RunningGateway> {
  const { dir, parkCpu: cpu } = placement;
  const logFile = join(dir, `${domain.id}-${contender.id}.log`);
  let child: Child<GatewayReady>;
  let headers: Record<string, string> = {};
  switch (contender.kind) {
    case 'jointgraph': {
      if (contender.served) {
        ensureBuilt();
        const port = await freePort();
        const url = `http://127.0.0.1:${port}/graphql`;
        const served = servedConfiguration(contender.served, domain, subgraphs, readFileSync(subgraphs.supergraphFile, 'utf8'), dir, port);
        headers = served.headers;
        child = await spawnChild(process.execPath, [JOINTGRAPH_CLI, 'serve', '--config', served.file], { cpu, logFile, readyUrl: url, readyHeaders: headers });
        break;
      }
      const args = [...TSX, path('bench/gateways/jointgraph-gateway.ts'), '--supergraph', subgraphs.supergraphFile];
      if (contender.grants) {
        const { labels, apps, plan, withhold, cachePolicy } = domain.authorization;
        const planFile = join(dir, `${domain.id}-${contender.id}-grants.json`);
        writeFileSync(planFile, JSON.stringify({ ...plan, withhold: contender.grants === 'partial' ? withhold : [] }));
        args.push('--grants', planFile, '--labels', labels, '--apps', apps, ...(contender.cache ? ['--cache-policy', cachePolicy] : []));
        headers = { 'x-api-key': plan.apiKey, 'x-jointgraph-purpose': plan.purpose };
      }
      child = await spawnChild(process.execPath, args, { cpu, logFile });
      break;
    }
    case 'apollo':
      child = await spawnChild(process.execPath, [...TSX, path('bench/gateways/apollo-gateway.ts'), '--supergraph', subgraphs.supergraphFile], { cpu, logFile });
      break;
    case 'hive': {
      const port = await freePort();
      const bin = path('node_modules/@graphql-hive/gateway/dist/bin.js');
      const args = [bin, 'supergraph', subgraphs.supergraphFile, '--host', '127.0.0.1', '--port', String(port), '--fork', '1', ...(contender.routerRuntime ? ['--hive-router-runtime'] : [])];
      // Hive Gateway reads gateway.config.ts from its working directory: merging off there.
      const cwd = join(dir, `hive-${contender.id}`);
      mkdirSync(cwd, { recursive: true });
      writeFileSync(join(cwd, 'gateway.config.ts'), HIVE_CONFIG);
      child = await spawnChild(process.execPath, args, { cpu, logFile, cwd, readyUrl: `http://127.0.0.1:${port}/graphql` });
      break;
    }
    case 'mercurius':
      ensureMercuriusInstalled();
      child = await spawnChild(process.execPath, [join(MERCURIUS_DIR, 'gateway.mjs'), '--services', mercuriusServices(subgraphs, dir)], { cpu, logFile });
      break;
    case 'direct':
      throw new Error('the providers queried directly have no gateway process');
  }
  return { contender, pid: child.pid, url: child.ready.url, headers, exitReason: () => exitReason(child, logFile), stop: child.stop };
}
