// The audited rewrite of an operation (pruned by the caller's grants, then instrumented for the
// entity keys the access record names) is made once per document text and authorization scope:
// the operation runner's prepared-operation cache. Observed through an executor the test owns,
// whose canonicalDocument is called once per rewrite and which records each document it runs.

import { buildSchema, print, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PlanExecutor } from '../supergraph/execution/index.ts';
import { createDocumentCache } from '../supergraph/gateway/document-cache.ts';
import { operationCost } from '../supergraph/gateway/operation-cost.ts';
import { createOperationRunner } from '../supergraph/gateway/run-operation.ts';
import type { Application } from '../supergraph/grants/index.ts';
import type { CatalogField, LabelCatalog } from '../supergraph/labels/index.ts';
import { requestAuthorization } from '../supergraph/policy/index.ts';
import { ServiceMetrics } from '../supergraph/quality/service-metrics.ts';
import { KEY_ALIAS } from '../supergraph/response/index.ts';

const schema = buildSchema(`
  type Query { people: [Person] }
  type Person { id: ID name: String taxArrears: Float district: String }
`);

const SHARING: Record<string, 'UNCONDITIONAL' | 'CONDITIONAL'> = {
  'Query.people': 'UNCONDITIONAL',
  'Person.id': 'CONDITIONAL',
  'Person.name': 'CONDITIONAL',
  'Person.taxArrears': 'CONDITIONAL',
  'Person.district': 'UNCONDITIONAL',
};

const catalog: LabelCatalog = {
  fields: new Map(Object.entries(SHARING).map(([coordinate, sharing]) => {
    const [type, field] = coordinate.split('.') as [string, string];
    const entry: CatalogField = { coordinate, type, field, owners: ['population'], label: { sharing, grade: 'GENERAL' }, source: 'overlay', derivedFrom: [] };
    return [coordinate, entry];
  })),
  entityTypes: new Set(['Person']),
  keyFields: new Map([['Person', ['id']]]),
  graphNames: ['population'],
};

function grant(id: string, coordinates: string[]): Application {
  return {
    id, appId: 'app', purpose: 'case-work', basis: 'test', coordinates, selector: null, rowScope: 'ALL',
    expiresAt: '2999-01-01T00:00:00Z', filedAt: '2000-01-01T00:00:00Z', replyDeadline: '2000-01-02T00:00:00Z', parties: [], revokedAt: null, revokedBy: null, revokeReason: null,
  };
}

const requester = { appId: 'app', name: 'App', department: 'tax', roles: [], district: null };
const authzOf = (grants: Application[]) => requestAuthorization(catalog, requester, 'case-work', grants, 'enforce');

function runner(maxPreparedBytes: number) {
  const rewrites: string[] = [];
  const executed: DocumentNode[] = [];
  const executor: PlanExecutor = {
    schema,
    // Not cached here: each call is one rewrite the runner made.
    canonicalDocument: (text, build) => {
      rewrites.push(text);
      return build();
    },
    execute: async ({ document }) => {
      executed.push(document);
      return { data: { people: [] } };
    },
    close: async () => {},
  };
  const run = createOperationRunner({
    served: schema, catalog,
    documents: createDocumentCache({ schema, limits: [], rules: [], maxBytes: 1 << 20, maxTokens: 10_000 }),
    costOf: operationCost(schema, new Map()),
    executor,
    quality: { schema, catalog, declarations: { fields: new Map(), types: new Map() }, metrics: new ServiceMetrics(['population']) },
    worthObserving: () => false,
    maxPreparedBytes,
    log: () => {},
  });
  const ask = (query: string, authz: ReturnType<typeof authzOf>) => run({
    params: { query, documentHash: null, variables: undefined, operationName: null, extensions: undefined },
    method: 'POST', authz, maxCost: 1_000_000, lineage: false, documentStatus: 400,
  });
  return { ask, rewrites, executed };
}

const QUERY = '{ people { id name taxArrears district } }';

describe('the audited rewrite of an operation', () => {
  it('is made once for a document asked again in the same scope, and the same document object is run', async () => {
    const { ask, rewrites, executed } = runner(1 << 20);
    const granted = [grant('g-1', ['Person.id', 'Person.name'])];
    // A new authorization per request, as every request has: the scope, not the object, is shared.
    expect((await ask(QUERY, authzOf(granted))).status).toBe(200);
    expect((await ask(QUERY, authzOf(granted))).status).toBe(200);
    expect(rewrites).toHaveLength(1);
    expect(executed).toHaveLength(2);
    expect(executed[1]).toBe(executed[0]);
    expect(print(executed[0]!)).toContain(`${KEY_ALIAS('id')}: id`);
  });

  it('is never handed to a caller of another scope asking the same text', async () => {
    const { ask, rewrites, executed } = runner(1 << 20);
    const full = await ask(QUERY, authzOf([grant('g-1', ['Person.id', 'Person.name', 'Person.taxArrears'])]));
    const none = await ask(QUERY, authzOf([]));
    const some = await ask(QUERY, authzOf([grant('g-2', ['Person.name'])]));
    expect([full.status, none.status, some.status]).toEqual([200, 200, 200]);
    const [forFull, forNone, forSome] = executed.map((d) => print(d).replace(/\s+/g, ' '));
    expect(forFull).toContain(`people { id name taxArrears district ${KEY_ALIAS('id')}: id }`);
    // No grant: neither the fields nor the entity key another caller may receive.
    expect(forNone).toContain('people { district }');
    expect(forSome).toContain('people { name district }');
    expect(none.body.errors?.map((e) => e.extensions?.coordinate)).toEqual(['Person.id', 'Person.name', 'Person.taxArrears']);
    expect(rewrites).toHaveLength(3);
  });

  it('is kept within the prepared-operation bound, however many distinct documents are asked', async () => {
    const maxPreparedBytes = 64 * 1024;
    const { ask, rewrites } = runner(maxPreparedBytes);
    const granted = [grant('g-1', ['Person.id', 'Person.name'])];
    const documents = Array.from({ length: 400 }, (_, i) => `{ people { id n${String(i).padStart(4, '0')}: name } }`);
    for (const d of documents) await ask(d, authzOf(granted));
    expect(rewrites).toHaveLength(documents.length);
    // Newest first, until the first one made again: those are what the cache still holds.
    let kept = 0;
    for (const d of [...documents].reverse()) {
      const before = rewrites.length;
      await ask(d, authzOf(granted));
      if (rewrites.length > before) break;
      kept += 1;
    }
    // An entry weighs at least its document's text, 16 bytes a byte.
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(maxPreparedBytes / (documents[0]!.length * 16));
    expect(kept).toBeLessThan(documents.length);
  });
});
