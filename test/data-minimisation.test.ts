import { parse, visit } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPS, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

// The tax inspection app holds no grants: Person.name, Person.maritalStatus,
// Enterprise.taxArrears and Enterprise.inspectionPriority are all CONDITIONAL.
const DENIED: Record<string, string[]> = {
  population: ['name'],
  'civil-affairs': ['maritalStatus'],
  tax: ['taxArrears', 'inspectionPriority'],
  enterprise: ['riskClass'],
};

let platform: TestPlatform;
let ids: { person: string; enterprise: string };
const ask = () => asApp(platform, APPS.tax, 'tax-inspection/CASE-1');

beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
  const plain = await startTestPlatform({ dataDir: platform.dataDir });
  const e = ((await plain.query('{ enterprises(first: 1, offset: 5) { creditCode legalRepresentative { id } } }')).data!.enterprises as { creditCode: string; legalRepresentative: { id: string } }[])[0]!;
  ids = { person: e.legalRepresentative.id, enterprise: e.creditCode };
  await plain.close();
});
afterAll(() => platform.close());
beforeEach(() => platform.log.clear());

/** Field names (never aliases) each provider was asked for. */
function fieldsAsked(): Record<string, Set<string>> {
  const asked: Record<string, Set<string>> = {};
  for (const entry of platform.log.dataRequests()) {
    visit(parse(entry.query), { Field: (node) => void (asked[entry.provider] ??= new Set()).add(node.name.value) });
  }
  return asked;
}

function expectNothingDeniedAsked() {
  const asked = fieldsAsked();
  for (const [provider, fields] of Object.entries(DENIED)) {
    for (const field of fields) expect(asked[provider]?.has(field) ?? false, `${provider} was asked for ${field}`).toBe(false);
  }
  return asked;
}

describe('no provider is sent a field the requester may not receive', () => {
  it('through aliases', async () => {
    const result = await ask()(`{ enterprises(first: 3) { name arrears: taxArrears rep: legalRepresentative { n: name district } } }`);
    expectNothingDeniedAsked();
    const list = result.data!.enterprises as Record<string, Record<string, unknown> & { rep: Record<string, unknown> }>[];
    expect(list).toHaveLength(3);
    expect(list[0]).toEqual({ name: expect.any(String), arrears: null, rep: { n: null, district: expect.any(String) } });
    expect(result.errors?.map((e) => [e.path, e.extensions?.coordinate])).toEqual([
      [['enterprises', 0, 'arrears'], 'Enterprise.taxArrears'],
      [['enterprises', 0, 'rep', 'n'], 'Person.name'],
    ]);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN_FIELD', occurrences: 3, reason: 'NO_GRANT', apply: { endpoint: '/admin/graphql' } });
  });

  it('through named fragments', async () => {
    const result = await ask()(`
      query { enterprises(first: 2) { ...E } }
      fragment E on Enterprise { name taxArrears legalRepresentative { ...P } }
      fragment P on Person { name maritalStatus district }`);
    expectNothingDeniedAsked();
    expect((result.data!.enterprises as unknown[])[1]).toEqual({ name: expect.any(String), taxArrears: null, legalRepresentative: { name: null, maritalStatus: null, district: expect.any(String) } });
    expect(result.errors).toHaveLength(3);
  });

  it('through inline fragments on a union', async () => {
    for (const code of [ids.person, ids.enterprise]) {
      platform.log.clear();
      const result = await ask()(`{ registrant(code: "${code}") { __typename ... on Person { name maritalStatus district } ... on Enterprise { name taxArrears } } }`);
      expectNothingDeniedAsked();
      const registrant = result.data!.registrant as Record<string, unknown>;
      if (registrant.__typename === 'Person') expect(registrant).toEqual({ __typename: 'Person', name: null, maritalStatus: null, district: expect.any(String) });
      else expect(registrant).toEqual({ __typename: 'Enterprise', name: expect.any(String), taxArrears: null });
    }
  });

  it('through @include and @skip with variables', async () => {
    const result = await ask()(
      `query($yes: Boolean!, $no: Boolean!) { enterprises(first: 2) { taxArrears @include(if: $yes) legalRepresentative { name @skip(if: $no) district } } }`,
      { yes: true, no: false },
    );
    expectNothingDeniedAsked();
    expect(result.errors?.map((e) => e.extensions?.coordinate)).toEqual(['Enterprise.taxArrears', 'Person.name']);
  });

  it('through @requires: a denied output never makes the gateway fetch its inputs', async () => {
    const result = await ask()('{ enterprises(first: 2) { name inspectionPriority } }');
    const asked = expectNothingDeniedAsked();
    expect(asked.tax).toBeUndefined(); // nothing left to ask the tax bureau
    expect(result.errors?.[0]?.extensions).toMatchObject({ coordinate: 'Enterprise.inspectionPriority' });
  });

  it('sends nothing to any provider when every field is denied', async () => {
    const result = await ask()(`{ person(id: "${ids.person}") { name maritalStatus } }`);
    expect(platform.log.dataRequests()).toEqual([]);
    expect(result.data).toEqual({ person: null });
    expect(result.errors?.map((e) => [e.path, e.extensions?.coordinate])).toEqual([
      [['person', 'name'], 'Person.name'],
      [['person', 'maritalStatus'], 'Person.maritalStatus'],
    ]);
  });
});

describe('cached plans follow the pruning', () => {
  it('never reuses a granted requester’s plan for one without the grant, in either order', async () => {
    const { grant } = await import('./support/authorization.ts');
    const query = '{ enterprises(first: 2) { name taxArrears } }';
    await grant(platform, APPS.assistance, { coordinates: ['Enterprise.taxArrears'], purpose: 'social-assistance' });
    for (let round = 0; round < 2; round++) {
      platform.log.clear();
      const granted = await asApp(platform, APPS.assistance, 'social-assistance/C-9')(query);
      expect((granted.data!.enterprises as { taxArrears: unknown }[])[0]!.taxArrears).toEqual(expect.any(Number));
      expect(fieldsAsked().tax?.has('taxArrears')).toBe(true);
      platform.log.clear();
      const denied = await ask()(query);
      expect((denied.data!.enterprises as { taxArrears: unknown }[])[0]!.taxArrears).toBeNull();
      expectNothingDeniedAsked();
    }
  });

  it('answers __typename itself when nothing else is left to ask', async () => {
    expect((await ask()('{ __typename }')).data).toEqual({ __typename: 'Query' });
    const denied = await ask()('{ kind: __typename enterprises(first: 1) { taxArrears } }');
    expect(denied.data).toEqual({ kind: 'Query', enterprises: null });
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('answers a named operation whose every field is denied with nulls and FORBIDDEN_FIELD, asking no provider', async () => {
    const response = await platform.gateway.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection' },
      payload: { query: 'query Arrears { enterprises(first: 1) { taxArrears } }', operationName: 'Arrears' },
    });
    const body = response.json() as { data: unknown; errors: { extensions: { code: string } }[] };
    expect(response.statusCode).toBe(200);
    expect(body.data).toEqual({ enterprises: null });
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN_FIELD']);
    expect(platform.log.dataRequests()).toEqual([]);
  });
});

describe('the contract', () => {
  it('answers the standard introspection query with every type’s fields, for GraphiQL and code generators', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const result = await ask()(getIntrospectionQuery());
    const types = (result.data!.__schema as { types: { name: string; fields: { name: string }[] | null }[] }).types;
    const enterprise = types.find((t) => t.name === 'Enterprise')!;
    expect(enterprise.fields!.map((f) => f.name)).toContain('taxArrears');
    expect(result.errors).toBeUndefined();
    expect(platform.log.dataRequests()).toEqual([]);
  });

  it('answers introspection and data in one operation, each from its own source', async () => {
    const result = await ask()('{ __type(name: "Enterprise") { name } enterprises(first: 1) { name } __typename }');
    expect(Object.keys(result.data!)).toEqual(['__type', 'enterprises', '__typename']);
    expect(result.data).toMatchObject({ __type: { name: 'Enterprise' }, enterprises: [{ name: expect.any(String) }], __typename: 'Query' });
  });

  it('shows requesters no NOT_SHARED field in introspection', async () => {
    const result = await ask()('{ person: __type(name: "Person") { fields { name } } enterprise: __type(name: "Enterprise") { fields { name } } }');
    const names = (t: string) => ((result.data![t] as { fields: { name: string }[] }).fields.map((f) => f.name));
    expect(names('person')).toContain('name');
    expect(names('person')).not.toContain('ethnicity');
    expect(names('enterprise')).toContain('taxArrears');
    expect(names('enterprise')).not.toContain('riskClass');
  });

  it('keeps NOT_SHARED fields usable inside the supergraph for @requires', async () => {
    const { grant } = await import('./support/authorization.ts');
    await grant(platform, APPS.tax, { coordinates: ['Enterprise.inspectionPriority'], purpose: 'tax-inspection' });
    platform.log.clear();
    const result = await ask()('{ enterprises(first: 2) { inspectionPriority } }');
    expect(result.errors).toBeUndefined();
    expect((result.data!.enterprises as { inspectionPriority: string }[])[0]!.inspectionPriority).toMatch(/ROUTINE|ELEVATED|URGENT/);
    expect(fieldsAsked().enterprise?.has('riskClass')).toBe(true); // fetched for the tax bureau, never returned
    expect(JSON.stringify(result)).not.toContain('riskClass');
  });
});

describe('operator enforcement modes', () => {
  it('rejects the whole operation in reject mode, listing every denied path, and asks no provider', async () => {
    const strict = await startTestPlatform({ authorization: sampleAuthorization({ mode: 'reject' }) });
    const result = await asApp(strict, APPS.tax, 'tax-inspection')('{ enterprises(first: 2) { name taxArrears legalRepresentative { name } } }');
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_REJECTED',
      denied: [
        { path: ['enterprises', 'taxArrears'], coordinate: 'Enterprise.taxArrears', reason: 'NO_GRANT' },
        { path: ['enterprises', 'legalRepresentative', 'name'], coordinate: 'Person.name', reason: 'NO_GRANT' },
      ],
    });
    expect(strict.log.dataRequests()).toEqual([]);
    await strict.close();
  });

  it('runs the query in dry-run mode and reports what would be denied', async () => {
    const dry = await startTestPlatform({ authorization: sampleAuthorization({ mode: 'dry-run' }) });
    const result = await asApp(dry, APPS.tax, 'tax-inspection')('{ enterprises(first: 1) { taxArrears } }');
    expect((result.data!.enterprises as { taxArrears: number }[])[0]!.taxArrears).toEqual(expect.any(Number));
    expect(result.extensions).toEqual({ authorization: { dryRun: true, wouldDeny: [{ path: ['enterprises', 'taxArrears'], coordinate: 'Enterprise.taxArrears', reason: 'NO_GRANT' }] } });
    await dry.close();
  });
});
