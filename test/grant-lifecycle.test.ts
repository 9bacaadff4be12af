import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../supergraph/grants/index.ts';
import { adminCall, answer, APPS, applyFor, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let clock = new Date('2026-11-23T09:00:00Z'); // a Monday
let platform: TestPlatform;
let personId: string;
const NAME = () => `{ person(id: "${personId}") { name maritalStatus } }`;
const ask = () => asApp(platform, APPS.assistance, 'assistance-review')(NAME());

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization({ now: () => clock }) });
  const plain = await startTestPlatform({ dataDir: platform.dataDir });
  personId = ((await plain.query('{ people(first: 1, offset: 3) { id } }')).data!.people as { id: string }[])[0]!.id;
  await plain.close();
});
afterAll(() => platform.close());
beforeEach(() => {
  clock = new Date('2026-11-23T09:00:00Z');
});

async function status(id: string): Promise<string> {
  const result = await adminCall(platform, { token: 'jg-admin-operator' }, `{ application(id: "${id}") { status } }`);
  return (result.data!.application as { status: string }).status;
}

describe('joint authorization', () => {
  it('needs the operator and every owning provider', async () => {
    const application = await applyFor(platform, APPS.assistance, { coordinates: ['Person.name', 'Person.maritalStatus'], purpose: 'assistance-review' });
    expect(application.status).toBe('PENDING');
    expect(application.parties.map((p) => p.party)).toEqual(['operator', 'civil-affairs', 'population']);

    await answer(platform, 'population', application.id, 'approve');
    await answer(platform, 'civil-affairs', application.id, 'approve');
    expect(await status(application.id)).toBe('PENDING');
    expect((await ask()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN_FIELD'); // providers alone grant nothing

    await answer(platform, 'operator', application.id, 'approve');
    expect(await status(application.id)).toBe('ACTIVE');
    const granted = await ask();
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.person).toMatchObject({ name: expect.any(String) });

    await answer(platform, 'population', application.id, 'revoke', 'Case closed');
    expect(await status(application.id)).toBe('REVOKED');
    expect((await ask()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', coordinate: 'Person.name' }); // on the very next request
  });

  it('grants nothing when only the operator approves', async () => {
    const application = await applyFor(platform, APPS.assistance, { coordinates: ['Person.name'], purpose: 'assistance-review' });
    await answer(platform, 'operator', application.id, 'approve');
    expect(await status(application.id)).toBe('PENDING');
    expect((await ask()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN_FIELD');
  });

  it('ends with any party’s refusal, which must give a reason', async () => {
    const application = await applyFor(platform, APPS.assistance, { coordinates: ['Person.name'], purpose: 'assistance-review' });
    const noReason = await adminCall(platform, { token: 'jg-admin-population' }, `mutation { refuse(id: "${application.id}", reason: " ") { status } }`);
    expect(noReason.errors?.[0]?.extensions?.code).toBe('REASON_REQUIRED');
    await answer(platform, 'population', application.id, 'refuse', 'No legal basis for bulk identity data');
    expect(await status(application.id)).toBe('REFUSED');
    const late = await answer(platform, 'operator', application.id, 'approve');
    expect(late.errors?.[0]?.extensions?.code).toBe('ALREADY_ANSWERED');
  });

  it('lapses at its expiry, on the next request', async () => {
    const expiresAt = '2026-11-30T00:00:00Z';
    const application = await applyFor(platform, APPS.assistance, { coordinates: ['Person.name', 'Person.maritalStatus'], purpose: 'assistance-review', expiresAt });
    for (const p of application.parties) await answer(platform, p.party, application.id, 'approve');
    expect((await ask()).errors).toBeUndefined();
    clock = new Date('2026-11-30T00:00:01Z');
    expect(await status(application.id)).toBe('EXPIRED');
    expect((await ask()).errors?.[0]?.extensions?.code).toBe('FORBIDDEN_FIELD');
  });

  it('lets only the parties answer, and only apps apply', async () => {
    const application = await applyFor(platform, APPS.assistance, { coordinates: ['Person.name'], purpose: 'assistance-review' });
    const stranger = await answer(platform, 'tax', application.id, 'approve');
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    const byOperator = await adminCall(platform, { token: 'jg-admin-operator' }, 'mutation { apply(input: { coordinates: ["Person.name"], purpose: "x", basis: "y", expiresAt: "2099-01-01" }) { id } }');
    expect(byOperator.errors?.[0]?.extensions?.code).toBe('APPLICATION_INVALID');
    const unauthenticated = await adminCall(platform, {}, '{ whoami }');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.errors?.[0]?.extensions?.code).toBe('ADMIN_UNAUTHENTICATED');
  });

  it('resolves a label selector to the coordinates it matches, and their owners', async () => {
    const application = await applyFor(platform, APPS.assistance, { selector: 'category=civil.* AND grade<=IMPORTANT', purpose: 'assistance-review' });
    expect(application.coordinates).toEqual(expect.arrayContaining(['Person.maritalStatus', 'Person.subsistenceAllowances', 'SubsistenceAllowance.monthlyAmount']));
    expect(application.coordinates.every((c) => !c.startsWith('Enterprise.'))).toBe(true);
    expect(application.parties.map((p) => p.party)).toEqual(['operator', 'civil-affairs']);
    const bad = await adminCall(platform, { apiKey: APPS.assistance }, 'mutation { apply(input: { selector: "colour=red", purpose: "x", basis: "y", expiresAt: "2099-01-01" }) { id } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('APPLICATION_INVALID');
  });

  it('records when it was filed and answered, sets the reply deadline in working days and reports it overdue', async () => {
    const application = await applyFor(platform, APPS.tax, { coordinates: ['Enterprise.taxArrears'], purpose: 'tax-inspection' });
    await answer(platform, 'tax', application.id, 'approve');
    const detail = await adminCall(platform, { token: 'jg-admin-operator' }, `{ application(id: "${application.id}") { filedAt replyDeadline parties { party decision answeredAt } } }`);
    const a = detail.data!.application as { filedAt: string; replyDeadline: string; parties: { party: string; answeredAt: string | null }[] };
    expect(a.filedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(a.replyDeadline).toBe(addWorkingDays(new Date(a.filedAt), 5).toISOString());
    expect(a.replyDeadline).toBe('2026-11-30T09:00:00.000Z'); // Monday + 5 working days skips the weekend
    expect(a.parties.find((p) => p.party === 'tax')!.answeredAt).toBe('2026-11-23T09:00:00.000Z');

    clock = new Date('2026-12-01T09:00:00Z');
    const overdue = await adminCall(platform, { token: 'jg-admin-operator' }, '{ overdueApplications { application { id } waitingFor } }');
    expect(overdue.data!.overdueApplications).toContainEqual({ application: { id: application.id }, waitingFor: ['operator'] });
  });
});
