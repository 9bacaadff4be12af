// People name applications and objections by the first characters the console and the command
// line show: a unique prefix of 8 characters or more is as good as the full id.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchIdPrefix } from '../supergraph/grants/index.ts';
import { adminCall, answer, APPS, applyFor, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

// Two applications share their first 13 characters; the third stands apart.
const IDS = ['5eed1d00-aaaa-4000-8000-000000000001', '5eed1d00-aaaa-4000-8000-000000000002', '7a1e0000-bbbb-4000-8000-000000000003'];
let platform: TestPlatform;
let filed: string[];

beforeAll(async () => {
  const ids = [...IDS];
  platform = await startTestPlatform({ authorization: sampleAuthorization({ newApplicationId: () => ids.shift()! }) });
  filed = [];
  for (let i = 0; i < IDS.length; i++) filed.push((await applyFor(platform, APPS.assistance, { coordinates: ['Person.name'], purpose: `assistance-review/CASE-${i}` })).id);
});
afterAll(() => platform.close());

const APPLICATION = (id: string) => adminCall(platform, { token: 'jg-admin-operator' }, 'query($id: ID!) { application(id: $id) { id } }', { id });

describe('an id prefix', () => {
  it('names the one application whose id begins with it, for approval and for reading', async () => {
    expect(filed).toEqual(IDS);
    const approved = await answer(platform, 'operator', '7a1e0000', 'approve');
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approve).toMatchObject({ id: IDS[2] });
    expect((await APPLICATION('7A1E0000-BB')).data!.application).toEqual({ id: IDS[2] });
  });

  it('answers ID_AMBIGUOUS, naming the candidates, when several ids begin with it', async () => {
    const result = await answer(platform, 'operator', '5eed1d00-aaaa', 'refuse');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'ID_AMBIGUOUS', hint: expect.any(String), candidates: [IDS[0], IDS[1]] });
    expect(result.errors?.[0]?.message).toContain(IDS[0]);
    expect((await APPLICATION('5eed1d00')).errors?.[0]?.extensions?.code).toBe('ID_AMBIGUOUS');
    // Nothing was answered.
    expect((await answer(platform, 'operator', `${IDS[0]!.slice(0, 35)}1`, 'refuse')).errors).toBeUndefined();
  });

  it('shorter than 8 characters names nothing: APPLICATION_NOT_FOUND, saying how many to give', async () => {
    const result = await answer(platform, 'operator', '7a1e000', 'approve');
    expect(result.errors?.[0]?.extensions?.code).toBe('APPLICATION_NOT_FOUND');
    expect(result.errors?.[0]?.message).toContain('first 8 characters');
    expect((await APPLICATION('7a1e000')).data!.application).toBeNull();
  });

  it('that no id begins with answers APPLICATION_NOT_FOUND (and the application query null)', async () => {
    expect((await answer(platform, 'operator', 'deadbeef', 'approve')).errors?.[0]?.extensions?.code).toBe('APPLICATION_NOT_FOUND');
    expect((await APPLICATION('deadbeef')).data!.application).toBeNull();
  });

  it('offers no candidate the caller may not see: a provider that is no party to an application meets APPLICATION_NOT_FOUND', async () => {
    const result = await answer(platform, 'tax', '5eed1d00', 'approve');
    expect(result.errors?.[0]?.extensions?.code).toBe('APPLICATION_NOT_FOUND');
  });

  it('names an objection for its provider’s answer', async () => {
    const { data } = await asApp(platform, APPS.assistance, 'social-assistance')('{ enterprises(first: 1) { creditCode name } }');
    const key = (data!.enterprises as { creditCode: string }[])[0]!.creditCode;
    const filedObjection = await adminCall(platform, { apiKey: APPS.assistance },
      `mutation { fileObjection(input: { coordinate: "Enterprise.name", key: "${key}", observedValue: "x", comment: "Wrong name" }) { id } }`);
    const id = (filedObjection.data!.fileObjection as { id: string }).id;
    const answered = await adminCall(platform, { token: 'jg-admin-enterprise' },
      `mutation { answerObjection(id: "${id.slice(0, 8)}", decision: REJECTED, reason: "As registered") { id status } }`);
    expect(answered.errors).toBeUndefined();
    expect(answered.data!.answerObjection).toEqual({ id, status: 'REJECTED' });
    const unknown = await adminCall(platform, { token: 'jg-admin-enterprise' }, 'mutation { answerObjection(id: "0000000", decision: REJECTED, reason: "x") { id } }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('APPLICATION_NOT_FOUND');
  });
});

describe('matching an id prefix', () => {
  const records = IDS.map((id) => ({ id }));
  it('finds by the full id, by a unique prefix, case-insensitively', () => {
    expect(matchIdPrefix(IDS[1]!, records, 'application')).toEqual({ kind: 'found', record: { id: IDS[1] } });
    expect(matchIdPrefix('7A1E0000', records, 'application')).toEqual({ kind: 'found', record: { id: IDS[2] } });
  });
  it('tells an ambiguous prefix from a short or an unknown one', () => {
    expect(matchIdPrefix('5eed1d00', records, 'application')).toMatchObject({ kind: 'ambiguous', candidates: [IDS[0], IDS[1]] });
    expect(matchIdPrefix('5eed1d0', records, 'application')).toMatchObject({ kind: 'unknown', candidates: [] });
    expect(matchIdPrefix('5eed1d01', records, 'application')).toMatchObject({ kind: 'unknown', message: 'No application 5eed1d01.' });
  });
});
