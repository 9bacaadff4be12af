// JointGraph as an operator runs it: the configuration file `jointgraph serve --config FILE` reads,
// for plain federation (authorization off, fair use per address raised in the file, since one load
// generator is one address) or as deployed (authorization enforced over a label overlay that makes
// every field UNCONDITIONAL, the domain's app key and purpose, the audit trail, signed provider
// calls, log level warn as docs/configuration.md recommends), and the compiled CLI that serves it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, isInterfaceType, isObjectType, parse } from 'graphql';
import type { SubgraphProcessReady } from '../kit/ready-line.ts';
import type { Domain } from '../plan/domains.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The compiled command line, run with plain node (no tsx), as the `jointgraph` bin runs it. */
export const JOINTGRAPH_CLI = join(ROOT, 'dist/cli/jointgraph.js');

/** What the load generator's single address may send: high enough never to be what is measured. */
const PLAIN_FAIR_USE = { perAddressRequestsPerMinute: 100_000_000, perAddressConcurrent: 10_000 };

let built = false;

/** `node scripts/build.mjs --if-stale` once per run, so the served code is the current source's. */
export function ensureBuilt(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs --if-stale failed (${result.status ?? result.signal})`);
  built = true;
}

/** Every object and interface type of the supergraph (federation's own left out) as `Type.*`, UNCONDITIONAL. */
export function unconditionalOverlay(supergraphSdl: string): { labels: Record<string, object> } {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const types = Object.values(schema.getTypeMap()).filter((t) => (isObjectType(t) || isInterfaceType(t)) && !/^(__|join__|link__)/.test(t.name));
  return { labels: Object.fromEntries(types.map((t) => [`${t.name}.*`, { sharing: 'UNCONDITIONAL', grade: 'GENERAL', category: 'bench.open' }])) };
}

export interface ServedConfiguration {
  file: string;
  /** What every request carries: the app's key and its purpose when authorization is enforced. */
  headers: Record<string, string>;
}

/** Writes the configuration file for one served contender in front of a running subgraph process. */
export function servedConfiguration(mode: 'plain' | 'deployed', domain: Domain, subgraphs: SubgraphProcessReady, supergraphSdl: string, dir: string, port: number): ServedConfiguration {
  const name = `${domain.id}-jointgraph-${mode}`;
  const dataDir = mkdtempSync(join(dir, `${name}-data-`));
  const config: Record<string, unknown> = {
    server: { host: '127.0.0.1', port, dataDir },
    // Provider probes are off so that every subgraph request counted comes from a client request.
    providers: { subgraphs: subgraphs.subgraphs.map((s) => ({ name: s.name, url: s.url })), probeIntervalMs: 0 },
    telemetry: { logLevel: 'warn' },
  };
  let headers: Record<string, string> = {};
  if (mode === 'plain') {
    Object.assign(config, { authorization: { mode: 'off' }, fairUse: PLAIN_FAIR_USE });
  } else {
    const labelsFile = join(dir, `${name}-labels.json`);
    writeFileSync(labelsFile, JSON.stringify(unconditionalOverlay(supergraphSdl), null, 2));
    const { apps, plan } = domain.authorization;
    Object.assign(config, { authorization: { mode: 'enforce', labelsFile, appsFile: apps } });
    headers = { 'x-api-key': plan.apiKey, 'x-jointgraph-purpose': plan.purpose };
  }
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { file, headers };
}
