// A deployment as an operator makes it: providers run on their own, the gateway is started with
// `jointgraph serve --config FILE` in a process of its own in front of them, the operator creates
// a new department's publisher, the department publishes its subgraph from its own directory with
// the jointgraph CLI, an app queries it with authorization on, and the operator registers an app
// and rotates its key: no restart anywhere (docs/deployment.md, "Deploying it").

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformKeys, providerTrust, startSampleProviders } from '../server/sample-platform.ts';
import { EXAMPLE_PROVIDERS, startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { callerKeyFile, exportCallerKey } from '../supergraph/execution/index.ts';
import { DOCUMENTED_HOUSING_SDL } from './support/housing.ts';
import { freePort } from '../bench/measure/child.ts';
import { SMALL_CITY, tempDataDir } from './support/platform.ts';
import { watchOutput } from './support/process-output.ts';

const run = promisify(execFile);
const JOINTGRAPH = new URL('../cli/jointgraph.mjs', import.meta.url).pathname;

const operatorDir = tempDataDir();
const providerDir = join(tempDataDir(), 'housing-department');
const dataDir = join(operatorDir, 'data');
let providers: RunningProvider[] = [];
let housing: RunningProvider | undefined;
let gateway: ChildProcess | undefined;
let configFile: string;
let url: string;

/** The jointgraph CLI, run where `cwd` is, as a department would from its own directory. */
const jointgraph = (cwd: string, ...args: string[]) => run(process.execPath, [JOINTGRAPH, ...args], { cwd, timeout: 60_000 });
const graphql = (query: string, headers: Record<string, string>) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
const TAX_APP = { 'x-api-key': 'jg-demo-tax-inspection', 'x-jointgraph-purpose': 'tax-inspection/CASE-2026-0042' };

beforeAll(async () => {
  // The gateway's signing key exists before anything starts: the providers trust its public half.
  const { key } = await callerKeyFile(join(dataDir, 'keys', 'gateway-signing.jwk'));
  const { trust } = await platformKeys({ callerJwk: await exportCallerKey(key), dataDir: join(operatorDir, 'providers') });
  providers = await startSampleProviders({ host: '127.0.0.1', subgraphBasePort: 0, dataDir: join(operatorDir, 'providers'), city: SMALL_CITY, trust });
  mkdirSync(providerDir, { recursive: true });
  housing = await startProvider(EXAMPLE_PROVIDERS.find((p) => p.name === 'housing')!, {
    host: '127.0.0.1', port: 0, dataDir: providerDir, city: SMALL_CITY, ...providerTrust(trust, 'housing'),
  });

  const port = await freePort();
  configFile = join(operatorDir, 'platform.yaml');
  writeFileSync(configFile, [
    `server: { host: 127.0.0.1, port: ${port}, dataDir: ./data }`,
    'telemetry: { logLevel: silent }',
    'providers:',
    '  subgraphs:',
    ...providers.map((p) => `    - { name: ${p.name}, url: ${JSON.stringify(p.url)} }`),
    'authorization:',
    '  mode: enforce',
    `  appsFile: ${JSON.stringify(new URL('../supergraph/apps.json', import.meta.url).pathname)}`,
    `  labelsFile: ${JSON.stringify(new URL('../supergraph/labels.json', import.meta.url).pathname)}`,
  ].join('\n'));
  gateway = spawn(process.execPath, [JOINTGRAPH, 'serve', '--config', configFile], { cwd: operatorDir, stdio: ['ignore', 'pipe', 'pipe'] });
  await watchOutput(gateway).printed(/JointGraph gateway ready/, 'the gateway did not start');
  url = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill('SIGTERM');
    await once(gateway, 'exit');
  }
  await housing?.close();
  await Promise.all(providers.map((p) => p.close()));
});

describe('a deployment from a configuration file', () => {
  it('serves a department’s subgraph published from its own directory, with authorization on and no restart', async () => {
    const pid = gateway!.pid;
    // Not served yet.
    expect((await (await graphql('{ housingOffice(district: "660106") { phone } }', TAX_APP)).json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    // The operator onboards the department's publisher; the token is shown once.
    const created = await jointgraph(operatorDir, 'admin', 'create-principal', 'li.na', '--party', 'housing', '--kind', 'person', '--roles', 'publisher', '--name', '李娜', '--config', configFile, '--token', 'jg-principal-chen.jie');
    const token = JSON.parse(created.stdout).data.createPrincipal.token as string;
    expect(token).toMatch(/^jg-admin-/);

    // The department publishes from its own directory, its SDL beside it.
    writeFileSync(join(providerDir, 'housing.graphql'), DOCUMENTED_HOUSING_SDL);
    const published = await jointgraph(providerDir, 'admin', 'publish', 'housing', '--url', housing!.url, '--sdl-file', 'housing.graphql', '--endpoint', `${url}/admin/graphql`, '--token', token);
    expect(JSON.parse(published.stdout).data.publishSubgraph.version).toMatchObject({ subgraph: 'housing', version: 1, status: 'ACTIVE', publishedBy: 'housing/li.na' });

    // Served from the next request, to an app, under authorization: signed calls, audited answers.
    const answer = await (await graphql('{ housingOffice(district: "660106") { district phone } }', TAX_APP)).json();
    expect(answer).toEqual({ data: { housingOffice: { district: '660106', phone: '0571-87061234' } } });
    expect((await graphql('{ housingOffice(district: "660106") { phone } }', {})).status).toBe(401);
    const notShared = await (await graphql('{ housingOffice(district: "660106") { phone } person(id: "x") { ethnicity } }', TAX_APP)).json();
    expect(JSON.stringify(notShared.errors)).toMatch(/FORBIDDEN_FIELD|GRAPHQL_VALIDATION_FAILED/);
    const accessLog = readFileSync(join(operatorDir, 'providers', 'access', 'housing.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(accessLog.at(-1)).toMatchObject({ provider: 'housing', outcome: 'accepted', subject: 'tax-inspection', coordinates: ['HousingOffice.district', 'HousingOffice.phone', 'Query.housingOffice'] });
    const records = await jointgraph(operatorDir, 'admin', 'access-records', '--app', 'tax-inspection', '--config', configFile, '--token', 'jg-principal-zhao.min');
    expect(JSON.parse(records.stdout).data.accessRecords.some((r: { returned: string[] }) => r.returned.includes('HousingOffice.phone'))).toBe(true);

    // An app registered and its key rotated live: the old key is refused from the next request.
    const admin = (...args: string[]) => jointgraph(operatorDir, 'admin', ...args, '--config', configFile, '--token', 'jg-principal-chen.jie').then((r) => JSON.parse(r.stdout).data);
    await admin('create-app', 'housing-portal', '--department', 'Housing Bureau', '--purposes', 'housing-service');
    const first = (await admin('issue-key', 'housing-portal')).issueKey.key as string;
    const asPortal = (key: string) => graphql('{ housingOffice(district: "660106") { phone } }', { 'x-api-key': key, 'x-jointgraph-purpose': 'housing-service/REQ-1' });
    expect((await asPortal(first)).status).toBe(200);
    const second = (await admin('rotate-key', 'housing-portal', '--grace', '0')).rotateKey.key as string;
    expect((await asPortal(first)).status).toBe(401);
    expect(await (await asPortal(second)).json()).toEqual({ data: { housingOffice: { phone: '0571-87061234' } } });
    expect(gateway!.pid).toBe(pid);
    expect(gateway!.exitCode).toBeNull();
  }, 120_000);

  it('does not start in front of a provider it cannot reach: COMPOSITION_FAILED naming it, with a hint, no stack trace', async () => {
    const dir = tempDataDir();
    const away = `http://127.0.0.1:${await freePort()}/graphql`;
    writeFileSync(join(dir, 'platform.yaml'), [
      // The operator's data folder: its gateway key is the one the providers trust, so population
      // answers, and enterprise (away) is the only provider the start can fail on.
      `server: { host: 127.0.0.1, port: ${await freePort()}, dataDir: ${JSON.stringify(dataDir)} }`,
      'telemetry: { logLevel: silent }',
      'providers:',
      '  subgraphs:',
      `    - { name: population, url: ${JSON.stringify(providers[0]!.url)} }`,
      `    - { name: enterprise, url: ${JSON.stringify(away)} }`,
      'authorization: { mode: off }',
    ].join('\n'));
    const refused = await jointgraph(dir, 'serve', '--config', 'platform.yaml').then(
      () => { throw new Error('the gateway started'); },
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^\\[COMPOSITION_FAILED\\] subgraph "enterprise": cannot reach ${away.replaceAll('.', '\\.')}.*start them first, or serve a composed supergraph \\(--supergraph FILE\\)$`, 'm'));
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
