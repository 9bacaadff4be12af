import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryProvider, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
const url = (name: string) => platform.providers.find((p) => p.name === name)!.url;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

async function entities(provider: string, typename: string, keys: Record<string, string>[], selection: string) {
  const representations = keys.map((k) => ({ __typename: typename, ...k }));
  const body = await queryProvider(url(provider), `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`, { r: representations });
  expect(body.errors).toBeUndefined();
  return body.data!._entities as Record<string, unknown>[];
}

describe('cross-department joins', () => {
  it('return exactly what the five providers return when asked directly', async () => {
    const gateway = await platform.query(`{
      enterprises(first: 25, offset: 40) {
        creditCode name status
        taxCreditRating taxArrears annualTax { year amount }
        insuredEmployees
        legalRepresentative {
          id name birthDate district
          maritalStatus subsistenceAllowances { startDate endDate monthlyAmount }
          insuranceRecords { kind monthsPaid employer { creditCode name } }
        }
      }
    }`);
    expect(gateway.errors).toBeUndefined();

    // The same data, assembled by hand from each provider.
    const base = await queryProvider(url('enterprise'), '{ enterprises(first: 25, offset: 40) { creditCode name status legalRepresentative { id } } }');
    const list = base.data!.enterprises as { creditCode: string; name: string; status: string; legalRepresentative: { id: string } }[];
    const codes = list.map((e) => ({ creditCode: e.creditCode }));
    const ids = list.map((e) => ({ id: e.legalRepresentative.id }));
    const tax = await entities('tax', 'Enterprise', codes, 'taxCreditRating taxArrears annualTax { year amount }');
    const insured = await entities('social-insurance', 'Enterprise', codes, 'insuredEmployees');
    const people = await entities('population', 'Person', ids, 'id name birthDate district');
    const civil = await entities('civil-affairs', 'Person', ids, 'maritalStatus subsistenceAllowances { startDate endDate monthlyAmount }');
    const insurance = await entities('social-insurance', 'Person', ids, 'insuranceRecords { kind monthsPaid employer { creditCode } }');
    const employerCodes = [...new Set(insurance.flatMap((p) => (p.insuranceRecords as { employer: { creditCode: string } | null }[]).flatMap((r) => (r.employer ? [r.employer.creditCode] : []))))];
    const employers = new Map(
      (await entities('enterprise', 'Enterprise', employerCodes.map((creditCode) => ({ creditCode })), 'creditCode name')).map((e) => [e.creditCode, e]),
    );

    const expected = list.map((e, i) => ({
      creditCode: e.creditCode,
      name: e.name,
      status: e.status,
      ...tax[i],
      ...insured[i],
      legalRepresentative: {
        ...people[i],
        ...civil[i],
        insuranceRecords: (insurance[i]!.insuranceRecords as { kind: string; monthsPaid: number; employer: { creditCode: string } | null }[]).map((r) => ({
          ...r,
          employer: r.employer ? employers.get(r.employer.creditCode) : null,
        })),
      },
    }));
    expect(gateway.data!.enterprises).toEqual(expected);
    expect(people.every((p) => p.id !== undefined)).toBe(true);
  });

  it('follow a resident to the enterprises they represent and back', async () => {
    const { data } = await platform.query('{ enterprises(first: 5) { creditCode legalRepresentative { id legalRepresentativeOf { creditCode } } } }');
    for (const e of data!.enterprises as { creditCode: string; legalRepresentative: { legalRepresentativeOf: { creditCode: string }[] } }[]) {
      expect(e.legalRepresentative.legalRepresentativeOf.map((x) => x.creditCode)).toContain(e.creditCode);
    }
  });

  it('answer a lookup by identity number with data from three departments', async () => {
    const id = ((await platform.query('{ people(first: 1, offset: 100) { id } }')).data!.people as { id: string }[])[0]!.id;
    const { data, errors } = await platform.query('query($id: ID!) { person(id: $id) { id name maritalStatus insuranceRecords { kind } } }', { id });
    expect(errors).toBeUndefined();
    expect(data!.person).toMatchObject({ id, name: expect.any(String), maritalStatus: expect.any(String), insuranceRecords: expect.any(Array) });
  });
});
