import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, asApp, grant } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

const NANHU = '660104';
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
  await grant(platform, APPS.nanhu, { coordinates: ['Person.name', 'Person.maritalStatus'], purpose: 'counter-service', rowScope: 'OWN_DISTRICT' });
});
afterAll(() => platform.close());

type Rep = { name: string | null; maritalStatus: string | null; district: string } | null;

describe('a grant limited to the requester’s own district', () => {
  it('yields the persons of that district and withholds the others, one error per record', async () => {
    const result = await asApp(platform, APPS.nanhu, 'counter-service/Q-17')('{ enterprises(first: 60) { name legalRepresentative { name maritalStatus district } } }');
    const reps = (result.data!.enterprises as { name: string; legalRepresentative: Rep }[]).map((e) => e.legalRepresentative);
    const inside = reps.filter((r) => r !== null);
    const withheld = result.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN_ROW');
    expect(inside.length).toBeGreaterThan(0);
    expect(withheld.length).toBeGreaterThan(0);
    expect(inside.length + withheld.length).toBe(60);
    for (const rep of inside) expect(rep).toEqual({ name: expect.any(String), maritalStatus: expect.any(String), district: NANHU });
    for (const error of withheld) expect(error.path).toEqual(['enterprises', expect.any(Number), 'legalRepresentative']);
    expect((result.data!.enterprises as { name: string }[]).every((e) => typeof e.name === 'string')).toBe(true);
    expect(JSON.stringify(result.data)).not.toContain('_jg_');
  });

  it('does not limit what is shared unconditionally', async () => {
    const result = await asApp(platform, APPS.nanhu, 'counter-service')('{ enterprises(first: 30) { name district legalRepresentative { district } } }');
    expect(result.errors).toBeUndefined();
    expect(new Set((result.data!.enterprises as { district: string }[]).map((e) => e.district)).size).toBeGreaterThan(1);
  });

  it('may only be applied for by an app of a district office', async () => {
    const { adminCall } = await import('./support/authorization.ts');
    const result = await adminCall(platform, { apiKey: APPS.tax }, 'mutation { apply(input: { coordinates: ["Person.name"], purpose: "x", basis: "y", expiresAt: "2099-01-01", rowScope: OWN_DISTRICT }) { id } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('APPLICATION_INVALID');
  });
});
