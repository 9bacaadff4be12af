// A publication checked before it is made (a department's CI): the same composition, label and
// breaking-change checks as publishSubgraph, refused the same way, and nothing stored, served or
// recorded; `jointgraph admin check-publication` exits 1 when publishing would be refused.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvider, type RunningProvider } from '../subgraphs/index.ts';
import { adminCall, APPS, asApp } from './support/authorization.ts';
import { DOCUMENTED_HOUSING_SDL, HOUSING_WITH_HOURS, housingProvider } from './support/housing.ts';
import { sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const run = promisify(execFile);
const OPERATOR = 'jg-admin-operator';
const WITHOUT_PHONE = DOCUMENTED_HOUSING_SDL.replace('  phone: String!\n', '');
const CHECK = 'query($n: String!, $u: String!, $s: String!) { checkPublication(name: $n, url: $u, sdl: $s) { diff { added removed } unlabeled awaiting ownershipChanges { coordinate } } }';

let platform: TestPlatform;
let provider: RunningProvider;
let endpoint: string;
const dir = tempDataDir();

const check = (sdl: string, token = OPERATOR, name = 'housing') => adminCall(platform, { token }, CHECK, { n: name, u: provider.url, s: sdl });
const versions = async () => ((await adminCall(platform, { token: OPERATOR }, '{ subgraphVersions(subgraph: "housing") { version status } }')).data!.subgraphVersions as unknown[]);
const decisions = async () => platform.authorization!.audit.decisions.recent(1_000);
const cli = async (sdl: string) => {
  const file = join(dir, `check-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, sdl);
  return run(process.execPath, ['dist/cli/admin.js', 'check-publication', 'housing', '--url', provider.url, '--sdl-file', file, '--endpoint', endpoint, '--token', OPERATOR]).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
};

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
  provider = await startProvider(housingProvider(HOUSING_WITH_HOURS), { host: '127.0.0.1', port: 0, dataDir: dir, city: SMALL_CITY });
  endpoint = `${await platform.gateway.listen({ host: '127.0.0.1', port: 0 })}/admin/graphql`;
});
afterAll(async () => {
  await platform?.close();
  await provider?.close();
});

describe('a publication checked only', () => {
  it('reports what publishing would change and wait for, and stores, serves and records nothing', async () => {
    const served = platform.gateway.jointgraph.supergraphSdl;
    const before = (await decisions()).length;
    expect(before).toBeGreaterThan(0);
    const checked = await check(DOCUMENTED_HOUSING_SDL);
    expect(checked.errors).toBeUndefined();
    expect(checked.data!.checkPublication).toMatchObject({ awaiting: [], ownershipChanges: [] });
    expect((checked.data!.checkPublication as { diff: { added: string[] } }).diff.added).toContain('HousingOffice.phone');
    expect(await versions()).toEqual([]);
    expect(platform.gateway.jointgraph.supergraphSdl).toBe(served);
    expect((await decisions()).length).toBe(before);
  });

  it('is refused as publishing would be: a schema that does not compose, another department’s subgraph', async () => {
    const broken = await check(`${DOCUMENTED_HOUSING_SDL}\ntype Query { rating: Undefined }`);
    expect(broken.errors?.[0]?.extensions).toMatchObject({ code: 'PUBLICATION_REFUSED', refusal: { reason: 'composition' } });
    const foreign = await check(DOCUMENTED_HOUSING_SDL, 'jg-admin-tax');
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
  });

  it('finds a breaking change to a field in use, and the CLI exits 1 on it and 0 on a compatible change', async () => {
    const published = await adminCall(platform, { token: OPERATOR }, 'mutation($n: String!, $u: String!, $s: String!) { publishSubgraph(name: $n, url: $u, sdl: $s) { version { version status } } }', { n: 'housing', u: provider.url, s: DOCUMENTED_HOUSING_SDL });
    expect(published.data!.publishSubgraph).toMatchObject({ version: { version: 1, status: 'ACTIVE' } });
    expect((await asApp(platform, APPS.tax, 'tax-inspection/CASE-7')('{ housingOffice(district: "xihu") { phone } }')).errors).toBeUndefined();
    // The use is on the trail once its record is: the check reads it there.
    let refused = await check(WITHOUT_PHONE);
    for (let i = 0; i < 20 && refused.errors?.[0]?.extensions?.refusal === undefined; i++) refused = await check(WITHOUT_PHONE);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PUBLICATION_REFUSED', refusal: { reason: 'breaking', breaking: [{ coordinate: 'HousingOffice.phone' }] } });

    const breaking = await cli(WITHOUT_PHONE);
    expect(breaking.code).toBe(1);
    expect(breaking.stdout + breaking.stderr).toContain('PUBLICATION_REFUSED');
    expect(breaking.stdout + breaking.stderr).toContain('HousingOffice.phone');
    const compatible = await cli(HOUSING_WITH_HOURS);
    expect(compatible.code).toBe(0);
    expect(JSON.parse(compatible.stdout).data.checkPublication.diff.added).toEqual(['HousingOffice.hours']);
    expect(await versions()).toEqual([{ version: 1, status: 'ACTIVE' }]);
  }, 60_000);
});
