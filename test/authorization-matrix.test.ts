import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, APPS, asApp, grant } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
let person: { id: string };
let enterprise: { creditCode: string };

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
  const plain = await startTestPlatform({ dataDir: platform.dataDir });
  person = ((await plain.query('{ people(first: 1, offset: 20) { id } }')).data!.people as { id: string }[])[0]!;
  enterprise = ((await plain.query('{ enterprises(first: 1, offset: 20) { creditCode } }')).data!.enterprises as { creditCode: string }[])[0]!;
  await plain.close();
  await grant(platform, APPS.assistance, { coordinates: ['Person.name', 'Person.maritalStatus'], purpose: 'assistance-review' });
});
afterAll(() => platform.close());

const catalog = () => platform.authorization!.catalog;
const fieldsOf = (sharing: string) =>
  [...catalog().fields.values()].filter((f) => f.label.sharing === sharing && (f.type === 'Person' || f.type === 'Enterprise'));

function queryFor(coordinate: string): string {
  const [type, field] = coordinate.split('.') as [string, string];
  const composite: Record<string, string> = {
    legalRepresentative: 'legalRepresentative { district }',
    legalRepresentativeOf: 'legalRepresentativeOf { name }',
    insuranceRecords: 'insuranceRecords { kind }',
    subsistenceAllowances: 'subsistenceAllowances { startDate }',
    annualTax: 'annualTax { year }',
  };
  const selection = composite[field] ?? field;
  return type === 'Person'
    ? `{ person(id: "${person.id}") { ${selection} } }`
    : `{ enterprise(creditCode: "${enterprise.creditCode}") { ${selection} } }`;
}

/**
 * Asks as an app: an app that runs registered operations only registers the document first
 * (a refused registration is its answer) and then sends only the hash.
 */
async function askAs(key: string, purpose: string, query: string) {
  if (key !== APPS.portal) return asApp(platform, key, purpose)(query);
  const registered = await adminCall(platform, { apiKey: key }, 'mutation($d: String!, $p: String!) { registerOperation(document: $d, purpose: $p) { hash } }', { d: query, p: purpose });
  if (registered.errors) return { status: 400, errors: registered.errors };
  const { hash } = registered.data!.registerOperation as { hash: string };
  const response = await platform.gateway.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'x-api-key': key, 'x-jointgraph-purpose': purpose },
    payload: { documentId: `sha256:${hash}` },
  });
  return { status: response.statusCode, ...(response.json() as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
}

function value(result: { data?: Record<string, unknown> | null }, field: string): unknown {
  const holder = (result.data?.person ?? result.data?.enterprise) as Record<string, unknown> | null | undefined;
  return holder?.[field] ?? null;
}

describe('the requester × field matrix', () => {
  it('lets every authenticated app read every UNCONDITIONAL field', async () => {
    const fields = fieldsOf('UNCONDITIONAL');
    expect(fields.length).toBeGreaterThan(8);
    for (const key of Object.values(APPS)) {
      for (const f of fields) {
        const result = await askAs(key, 'matrix-check', queryFor(f.coordinate));
        expect(result.errors, `${key} ${f.coordinate}`).toBeUndefined();
        expect(value(result, f.field), `${key} ${f.coordinate}`).not.toBeNull();
      }
    }
  });

  it('lets an app read a CONDITIONAL field only with an active joint grant for its purpose', async () => {
    const fields = fieldsOf('CONDITIONAL');
    expect(fields.length).toBeGreaterThan(8);
    for (const f of fields) {
      const granted = f.coordinate === 'Person.name' || f.coordinate === 'Person.maritalStatus';
      const withGrant = await asApp(platform, APPS.assistance, 'assistance-review/CASE-7')(queryFor(f.coordinate));
      const otherPurpose = await asApp(platform, APPS.assistance, 'debt-collection')(queryFor(f.coordinate));
      const otherApp = await asApp(platform, APPS.tax, 'assistance-review')(queryFor(f.coordinate));
      if (granted) {
        expect(withGrant.errors, f.coordinate).toBeUndefined();
        expect(value(withGrant, f.field), f.coordinate).not.toBeNull();
      } else {
        expect(withGrant.errors?.[0]?.extensions, f.coordinate).toMatchObject({ code: 'FORBIDDEN_FIELD', coordinate: f.coordinate, reason: 'NO_GRANT' });
      }
      expect(otherPurpose.errors?.[0]?.extensions, f.coordinate).toMatchObject({ code: 'FORBIDDEN_FIELD', reason: granted ? 'OTHER_PURPOSE' : 'NO_GRANT' });
      expect(otherApp.errors?.[0]?.extensions, f.coordinate).toMatchObject({ code: 'FORBIDDEN_FIELD', reason: 'NO_GRANT' });
      expect(value(otherPurpose, f.field), f.coordinate).toBeNull();
      expect(value(otherApp, f.field), f.coordinate).toBeNull();
    }
  });

  it('never lets anyone read a NOT_SHARED field: for requesters it does not exist', async () => {
    const notShared = [...catalog().fields.values()].filter((f) => f.label.sharing === 'NOT_SHARED').map((f) => f.coordinate);
    expect(notShared.sort()).toEqual(['Enterprise.riskClass', 'Person.ethnicity']);
    for (const key of Object.values(APPS)) {
      for (const coordinate of notShared) {
        const result = await askAs(key, 'assistance-review', queryFor(coordinate));
        expect(result.status).toBe(400);
        expect(result.errors?.[0]).toMatchObject({
          message: expect.stringContaining(`Cannot query field "${coordinate.split('.')[1]}"`),
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        });
      }
    }
  });
});
