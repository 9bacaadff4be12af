// One small harness for the operation runner (run-operation.ts) alone: a label catalogue from a
// coordinate → sharing table, a grant, and a runner over an executor the test owns.

import type { GraphQLSchema } from 'graphql';
import type { PlanExecutor } from '../../supergraph/execution/index.ts';
import { createDocumentCache } from '../../supergraph/gateway/document-cache.ts';
import { operationCost } from '../../supergraph/gateway/operation-cost.ts';
import { createOperationRunner } from '../../supergraph/gateway/run-operation.ts';
import type { Application } from '../../supergraph/grants/index.ts';
import type { CatalogField, LabelCatalog } from '../../supergraph/labels/index.ts';
import type { RequestAuthorization } from '../../supergraph/policy/index.ts';
import { ServiceMetrics } from '../../supergraph/quality/service-metrics.ts';

/** Every field owned by the first graph, labelled as `sharing` says, GENERAL grade. */
export function labelCatalog(sharing: Record<string, 'UNCONDITIONAL' | 'CONDITIONAL'>, keyFields: Map<string, string[]>, graphNames: string[]): LabelCatalog {
  return {
    fields: new Map(Object.entries(sharing).map(([coordinate, level]) => {
      const [type, field] = coordinate.split('.') as [string, string];
      const entry: CatalogField = { coordinate, type, field, owners: [graphNames[0]!], label: { sharing: level, grade: 'GENERAL' }, source: 'overlay', derivedFrom: [] };
      return [coordinate, entry];
    })),
    entityTypes: new Set(keyFields.keys()),
    keyFields,
    graphNames,
  };
}

/** An active grant to app `app` for the purpose case-work. */
export function grant(id: string, coordinates: string[]): Application {
  return {
    id, appId: 'app', purpose: 'case-work', basis: 'test', coordinates, selector: null, rowScope: 'ALL',
    expiresAt: '2999-01-01T00:00:00Z', filedAt: '2000-01-01T00:00:00Z', replyDeadline: '2000-01-02T00:00:00Z', parties: [], revokedAt: null, revokedBy: null, revokeReason: null,
  };
}

export const requester = { appId: 'app', name: 'App', department: 'tax', roles: [], district: null };

/** `ask(query, authz)` runs one POSTed operation through a runner over `executor`. */
export function operationRunner(schema: GraphQLSchema, catalog: LabelCatalog, executor: PlanExecutor, maxPreparedBytes = 1 << 20) {
  const run = createOperationRunner({
    served: schema, catalog,
    documents: createDocumentCache({ schema, limits: [], rules: [], maxBytes: 1 << 20, maxTokens: 10_000 }),
    costOf: operationCost(schema, new Map()),
    executor,
    quality: { schema, catalog, declarations: { fields: new Map(), types: new Map() }, metrics: new ServiceMetrics(catalog.graphNames) },
    worthObserving: () => false,
    maxPreparedBytes,
    log: () => {},
  });
  return (query: string, authz: RequestAuthorization | undefined) => run({
    params: { query, documentHash: null, variables: undefined, operationName: null, extensions: undefined },
    method: 'POST', authz, maxCost: 1_000_000, lineage: false, documentStatus: 400,
  });
}
