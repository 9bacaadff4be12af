// jointgraph provider-check proves a provider's caller checks from outside: both sample stacks
// refuse every call the protocol says they must, and a provider that checks too little is told,
// probe by probe, which calls it accepted.

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSERTION_HEADER } from '../protocol/index.ts';
import { SAMPLE_PROVIDERS, startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { checkProvider, exportCallerKey, type ProbeResult } from '../supergraph/execution/index.ts';
import { SMALL_CITY, tempDataDir, TEST_REGISTRY_KEY } from './support/platform.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REFUSED = '401 UNAUTHENTICATED_CALLER';
const definition = (name: string) => SAMPLE_PROVIDERS.find((p) => p.name === name)!;
const start = (name: string, trusted: boolean) =>
  startProvider(definition(name), { host: '127.0.0.1', port: 0, dataDir: tempDataDir(), city: SMALL_CITY, ...(trusted ? { trust: { keys: { keys: [TEST_REGISTRY_KEY.publicJwk] } } } : {}) });

/** The compiled CLI (dist/, built by vitest's global setup), its exit code and output. */
function providerCheck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/cli/jointgraph.js', 'provider-check', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/**
 * A provider that verifies the signature, audience and lifetime and nothing more: no binding to
 * the call, no replay guard, no coordinates. It serves tax's SDL.
 */
async function signatureOnlyProvider(): Promise<FastifyInstance> {
  const app = Fastify();
  const keys = createLocalJWKSet({ keys: [TEST_REGISTRY_KEY.publicJwk] });
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    handler: async (request, reply) => {
      try {
        await jwtVerify(String(request.headers[ASSERTION_HEADER]), keys, { audience: 'tax', algorithms: ['EdDSA'] });
      } catch {
        return reply.code(401).send({ errors: [{ message: 'refused', extensions: { code: 'UNAUTHENTICATED_CALLER' } }] });
      }
      const { query } = (request.method === 'GET' ? request.query : request.body) as { query: string };
      return { data: query.includes('_service') ? { _service: { sdl: definition('tax').typeDefs } } : { __typename: 'Query' } };
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

const outcomes = (results: readonly ProbeResult[]) => Object.fromEntries(results.map((r) => [r.probe.replace(/ \(.*\)$/, ''), r.outcome]));

let keyFile: string;
let population: RunningProvider;
let tax: RunningProvider;
let untrusting: RunningProvider;
let signatureOnly: FastifyInstance;
beforeAll(async () => {
  keyFile = join(mkdtempSync(join(tmpdir(), 'jointgraph-provider-check-')), 'registry.jwk');
  writeFileSync(keyFile, JSON.stringify(await exportCallerKey(TEST_REGISTRY_KEY)));
  [population, tax, untrusting, signatureOnly] = await Promise.all([start('population', true), start('tax', true), start('tax', false), signatureOnlyProvider()]);
});
afterAll(() => Promise.all([population?.close(), tax?.close(), untrusting?.close(), signatureOnly?.close()]));

describe('jointgraph provider-check', () => {
  it.each([['population', 'Apollo Server'], ['tax', 'mercurius']])('passes every probe against %s (%s)', async (name) => {
    const check = await checkProvider({ url: (name === 'tax' ? tax : population).url, name, key: TEST_REGISTRY_KEY });
    if (!check.ok) throw new Error(check.message);
    const [control, ...probes] = check.results;
    expect(control).toMatchObject({ expected: '200 accepted', got: '200 accepted', outcome: 'PASS' });
    const refusals = probes.filter((r) => r.outcome !== 'NOT PROBED');
    expect(refusals.map((r) => r.probe.replace(/ \(.*\)$/, ''))).toEqual([
      'unsigned', 'signed with a key the provider does not trust', 'expired', 'for another audience', 'replayed',
      'carried with another body', 'carried with another method', 'signed for another URL', 'asking a coordinate the assertion does not name',
    ]);
    for (const probe of refusals) expect(probe, probe.probe).toMatchObject({ expected: REFUSED, got: REFUSED, outcome: 'PASS' });
    expect(probes.at(-1)).toMatchObject({ probe: 'replayed after a restart', got: 'not probed: needs a restart', outcome: 'NOT PROBED' });
  });

  it('prints one line per probe and a summary, and exits 0 when every probe passes (compiled CLI)', async () => {
    const { code, stdout } = await providerCheck(tax.url, '--name', 'tax', '--key', keyFile);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^probe\s+expected\s+got\s+result$/m);
    expect(stdout).toMatch(/^expired\s+401 UNAUTHENTICATED_CALLER\s+401 UNAUTHENTICATED_CALLER\s+PASS$/m);
    expect(stdout).toMatch(/^asking a coordinate the assertion does not name \(Enterprise\.\w+\)\s+.*PASS$/m);
    expect(stdout).toContain(`Provider "tax" at ${tax.url}: 10 passed, 0 failed, 1 not probed.`);
  });

  it('reports every call a provider without trust accepted as FAIL, and exits 1', async () => {
    const { code, stdout } = await providerCheck(untrusting.url, '--name', 'tax', '--key', keyFile, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; summary: Record<string, number>; results: ProbeResult[] };
    expect(report).toMatchObject({ ok: false, summary: { pass: 1, fail: 9, notProbed: 1 } });
    for (const probe of report.results.slice(1, -1)) expect(probe, probe.probe).toMatchObject({ got: '200 accepted', outcome: 'FAIL' });
  });

  it('tells the checks apart: a provider that verifies the signature alone fails the replay, binding and coordinate probes', async () => {
    const check = await checkProvider({ url: `http://127.0.0.1:${(signatureOnly.server.address() as { port: number }).port}/graphql`, name: 'tax', key: TEST_REGISTRY_KEY });
    if (!check.ok) throw new Error(check.message);
    expect(outcomes(check.results)).toEqual({
      'a correctly signed call': 'PASS',
      unsigned: 'PASS',
      'signed with a key the provider does not trust': 'PASS',
      expired: 'PASS',
      'for another audience': 'PASS',
      replayed: 'FAIL',
      'carried with another body': 'FAIL',
      'carried with another method': 'FAIL',
      'signed for another URL': 'FAIL',
      'asking a coordinate the assertion does not name': 'FAIL',
      'replayed after a restart': 'NOT PROBED',
    });
  });

  it('exits 2 with PROVIDER_UNREACHABLE and a hint when nothing answers at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await providerCheck(`http://127.0.0.1:${port}/graphql`, '--name', 'tax', '--key', keyFile);
    expect(code).toBe(2);
    expect(stderr).toContain(`[PROVIDER_UNREACHABLE] Provider "tax" at http://127.0.0.1:${port}/graphql did not answer (ECONNREFUSED).`);
    expect(stderr).toMatch(/^hint: .*check the URL/m);
  });

  it('exits 2 with USAGE_INVALID and the usage on a usage error', async () => {
    const { code, stderr } = await providerCheck(tax.url, '--name', 'tax');
    expect(code).toBe(2);
    expect(stderr).toContain('[USAGE_INVALID] jointgraph provider-check: missing --key FILE');
    expect(stderr).toContain('usage: jointgraph provider-check URL --name SUBGRAPH --key FILE [flags]');
  });
});
