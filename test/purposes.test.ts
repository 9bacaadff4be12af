import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../supergraph/config/index.ts';
import { purposeCovers } from '../supergraph/identity/index.ts';
import { parseAppRegistry } from '../supergraph/identity/index.ts';
import { adminCall, APPS, asApp, grant } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const SAMPLE_APPS = JSON.parse(readFileSync(new URL('../supergraph/apps.json', import.meta.url), 'utf8'));
/** The sample apps, the assistance app registered for one purpose code. */
const APPS_WITH_PURPOSES = {
  ...SAMPLE_APPS,
  apps: SAMPLE_APPS.apps.map((a: { id: string }) => (a.id === 'social-assistance' ? { ...a, purposes: ['assistance-review'] } : a)),
};
const ARREARS = '{ enterprises(first: 1) { taxArrears } }';

let platform: TestPlatform;

beforeAll(async () => {
  const appsFile = join(tempDataDir(), 'apps.json');
  writeFileSync(appsFile, JSON.stringify(APPS_WITH_PURPOSES));
  platform = await startTestPlatform({ authorization: sampleAuthorization({ appsFile }) });
  await grant(platform, APPS.tax, { coordinates: ['Enterprise.taxArrears'], purpose: 'tax-inspection' });
});
afterAll(() => platform.close());

const arrearsFor = async (purpose: string) => {
  const result = await asApp(platform, APPS.tax, purpose)(ARREARS);
  return { ...result, arrears: (result.data?.enterprises as { taxArrears: unknown }[] | undefined)?.[0]?.taxArrears ?? null };
};

describe('the purpose grammar', () => {
  it('refuses a purpose outside the grammar with PURPOSE_INVALID, showing the grammar', async () => {
    const malformed = [
      'tax-inspection/../social-assistance', 'tax-inspection/./CASE-1', 'tax-inspection/', 'tax-inspection//CASE-1', '/CASE-1',
      'tax inspection', 'tax-inspection/CASE 1', 'tax_inspection', '-tax-inspection', 'tax-inspection/CASE\t1', `tax-inspection/${'C'.repeat(186)}`,
    ];
    for (const purpose of malformed) {
      const { status, errors, arrears } = await arrearsFor(purpose);
      expect(status, purpose).toBe(400);
      expect(errors?.[0], purpose).toMatchObject({ message: expect.stringContaining('tax-inspection/CASE-2026-0042'), extensions: { code: 'PURPOSE_INVALID', hint: expect.stringContaining('"/"') } });
      expect(arrears, purpose).toBeNull();
    }
    expect((await arrearsFor(`tax-inspection/${'C'.repeat(185)}`)).status).toBe(200);
  });

  it('matches sub-purposes segment by segment: a grant for tax-inspection covers tax-inspection/CASE-1 only', async () => {
    expect((await arrearsFor('tax-inspection')).arrears).not.toBeNull();
    expect((await arrearsFor('tax-inspection/CASE-1')).arrears).not.toBeNull();
    expect((await arrearsFor('tax-inspection/CASE-1/interview.2')).arrears).not.toBeNull();
    const sibling = await arrearsFor('tax-inspection-x');
    expect(sibling.arrears).toBeNull();
    expect(sibling.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', reason: 'OTHER_PURPOSE' });
    expect(purposeCovers('tax-inspection', 'tax-inspection/../social-assistance')).toBe(false);
    expect(purposeCovers('tax-inspection', 'tax-inspection-x')).toBe(false);
    expect(purposeCovers('tax-inspection/CASE-1', 'tax-inspection')).toBe(false);
    expect(purposeCovers('tax-inspection/CASE-1', 'tax-inspection/CASE-10')).toBe(false);
  });

  it('normalises a purpose (trimmed, its code in lower case) before matching it and recording it', async () => {
    const { status, arrears } = await arrearsFor('  Tax-Inspection/CASE-1 ');
    expect(status).toBe(200);
    expect(arrears).not.toBeNull();
    expect(platform.authorization!.audit.recent(1)[0]).toMatchObject({ appId: 'tax-inspection', purpose: 'tax-inspection/CASE-1', outcome: 'OK' });
    // Case ids keep their case: another case is another case.
    expect(purposeCovers('tax-inspection/CASE-1', 'tax-inspection/case-1')).toBe(false);
  });

  it('holds applications to the grammar too, and files them normalised', async () => {
    const apply = (purpose: string) =>
      adminCall(platform, { apiKey: APPS.tax }, 'mutation($p: String!) { apply(input: { coordinates: ["Person.maritalStatus"], purpose: $p, basis: "b", expiresAt: "2099-01-01" }) { purpose } }', { p: purpose });
    expect((await apply('tax-inspection/../social-assistance')).errors?.[0]?.extensions).toMatchObject({ code: 'PURPOSE_INVALID', hint: expect.any(String) });
    expect((await apply(' Tax-Inspection/CASE-1 ')).data?.apply).toEqual({ purpose: 'tax-inspection/CASE-1' });
  });
});

describe('registered purpose codes', () => {
  it('refuses a purpose code the app is not registered for with PURPOSE_NOT_PERMITTED', async () => {
    const other = await asApp(platform, APPS.assistance, 'tax-inspection/CASE-1')(ARREARS);
    expect(other.status).toBe(403);
    expect(other.errors?.[0]).toMatchObject({ message: expect.stringContaining('assistance-review'), extensions: { code: 'PURPOSE_NOT_PERMITTED', hint: expect.any(String) } });
    expect((await asApp(platform, APPS.assistance, 'Assistance-Review/CASE-2')(ARREARS)).status).toBe(200);
    const application = await adminCall(platform, { apiKey: APPS.assistance }, 'mutation { apply(input: { coordinates: ["Person.name"], purpose: "tax-inspection", basis: "b", expiresAt: "2099-01-01" }) { id } }');
    expect(application.errors?.[0]?.extensions?.code).toBe('PURPOSE_NOT_PERMITTED');
  });

  it('lets an app without a list state any purpose code', async () => {
    expect((await asApp(platform, APPS.tax, 'debt-collection')(ARREARS)).status).toBe(200);
  });

  it('accepts only lower-case purpose codes in the registry', () => {
    const registry = (purposes: unknown) => parseAppRegistry({ ...SAMPLE_APPS, apps: [{ id: 'a', department: 'd', purposes }] });
    expect(registry(['tax-inspection']).apps.get('a')!.purposes).toEqual(['tax-inspection']);
    for (const bad of [[], ['Tax-Inspection'], ['tax-inspection/CASE-1'], 'tax-inspection', [1]]) expect(() => registry(bad)).toThrow(ConfigError);
  });
});
