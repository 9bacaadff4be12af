// An operation hands forward what the stages after it need (how it ended, what it denied, whom it
// asked) in its result, and leaves the request's authorization as it found it: the authorization
// is frozen here, so a stage that wrote into it would throw. Provider calls are reported the way
// the runtime's onCall hook reports them, through the context the executor was given.

import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PlanExecutor } from '../supergraph/execution/index.ts';
import { operationContextOf } from '../supergraph/gateway/operation-context.ts';
import type { Application } from '../supergraph/grants/index.ts';
import { requestAuthorization, type EnforcementMode } from '../supergraph/policy/index.ts';
import { grant, labelCatalog, operationRunner, requester } from './support/operation-runner.ts';

const schema = buildSchema(`
  type Query { people: [Person] companies: [Company] }
  type Person { id: ID name: String taxArrears: Float }
  type Company { id: ID name: String }
`);

const catalog = labelCatalog(
  {
    'Query.people': 'UNCONDITIONAL', 'Query.companies': 'UNCONDITIONAL',
    'Person.id': 'UNCONDITIONAL', 'Person.name': 'UNCONDITIONAL', 'Person.taxArrears': 'CONDITIONAL',
    'Company.id': 'UNCONDITIONAL', 'Company.name': 'UNCONDITIONAL',
  },
  new Map([['Person', ['id']], ['Company', ['id']]]),
  ['population', 'enterprise'],
);

const taxArrears = grant('g-1', ['Person.taxArrears']);
const frozenAuthz = (grants: Application[], mode: EnforcementMode = 'enforce') => Object.freeze(requestAuthorization(catalog, requester, 'case-work', grants, mode));

/** The executor calls `population`, then `enterprise`, then `population` again, as a plan with an entity step might. */
const executor: PlanExecutor = {
  schema,
  canonicalDocument: (_text, build) => build(),
  execute: async ({ context }) => {
    for (const subgraph of ['population', 'enterprise', 'population']) operationContextOf(context)?.called({ subgraph, context, ms: 1, outcome: 'ok' });
    return { data: { people: [{ id: 'p-1', name: 'Ada', taxArrears: 12 }], companies: [{ id: 'c-1', name: 'Acme' }] } };
  },
  close: async () => {},
};

const ask = operationRunner(schema, catalog, executor);

const QUERY = '{ people { id name taxArrears } companies { id name } }';

describe('an operation’s result', () => {
  it('names the providers called, once each in the order they answered, and an answer without denials OK', async () => {
    const result = await ask(QUERY, frozenAuthz([taxArrears]));
    expect(result).toMatchObject({ status: 200, outcome: 'OK', denied: [], providers: ['population', 'enterprise'] });
    expect(result.answered).toMatchObject({ errors: 0, entities: 2 });
  });

  it('carries the denied fields and PARTIAL when fields were pruned', async () => {
    const result = await ask(QUERY, frozenAuthz([]));
    expect(result.outcome).toBe('PARTIAL');
    expect(result.denied.map((d) => [d.coordinate, d.verdict.reason])).toEqual([['Person.taxArrears', 'NO_GRANT']]);
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
  });

  it('is REJECTED in the reject mode with the denials and no provider called', async () => {
    const result = await ask(QUERY, frozenAuthz([], 'reject'));
    expect(result).toMatchObject({ status: 403, outcome: 'REJECTED', providers: [] });
    expect(result.denied.map((d) => d.coordinate)).toEqual(['Person.taxArrears']);
    expect(result.answered).toBeUndefined();
  });

  it('is INVALID for a document refused before it runs, without authorization too', async () => {
    const result = await ask('{ people { nope } }', undefined);
    expect(result).toMatchObject({ status: 400, outcome: 'INVALID', denied: [], providers: [] });
  });

  it('names the providers without authorization as well', async () => {
    const result = await ask('{ companies { id } }', undefined);
    expect(result).toMatchObject({ status: 200, outcome: 'OK', providers: ['population', 'enterprise'] });
  });
});
