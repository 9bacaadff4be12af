// One GraphQL operation through the gateway's stages, after the HTTP edge and authentication:
// parse and validate (cached) → pick the operation → coerce variables → estimate the cost →
// split introspection →
// prune denied fields (cached per document and authorization scope) → instrument for lineage (or,
// audited, for the entity keys the access record names) → execute the cached plan → re-check under
// the shield → settle denials → observe quality →
// strip the gateway's own fields. Returns the operation's result (operation-result.ts): the answer,
// and how it ended, what it returned and denied, whom it asked. Never throws for bad input.

import { trace, type Context, type Tracer } from '@opentelemetry/api';
import {
  execute, getOperationAST, getVariableValues, Kind, print,
  type DocumentNode, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { INTERNAL_ALIAS_PREFIX } from '../response/index.ts';
import { returnedCoordinates } from '../audit/index.ts';
import { documentErrorCode, errorBody, ERRORS, formattedError, type ErrorCode } from '../errors/index.ts';
import type { PlanExecutor } from '../execution/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { pruneDeniedFields, releaseUnderShield, shieldDocument, type PrunedOperation, type RequestAuthorization } from '../policy/index.ts';
import { instrumentForKeys, instrumentForLineage, observeQuality, type QualityStageOptions } from '../quality/quality-stage.ts';
import { stripInternalFields } from '../quality/instrument-operation.ts';
import { ownDenials, rejection, settleDenials, type ExecutionOutcome } from './authorization-stage.ts';
import type { CheckedDocument } from './document-cache.ts';
import type { GraphQLParams } from './graphql-params.ts';
import { OperationContext } from './operation-context.ts';
import { costRefusals, type CostOf } from './operation-cost.ts';
import { answeredOutcome, refusedOperation, type OperationResult } from './operation-result.ts';
import { splitIntrospection } from './split-introspection.ts';

export interface OperationStages {
  /** The schema requesters are served (the contract when labels apply). */
  served: GraphQLSchema;
  /** The served schema whose fields read released values under the shield; with labels only. */
  shielded?: GraphQLSchema;
  catalog: LabelCatalog;
  documents: (source: string) => CheckedDocument;
  costOf: CostOf;
  executor: PlanExecutor;
  quality: QualityStageOptions;
  worthObserving: (document: DocumentNode) => boolean;
  /** Prepared operations kept at most (bytes of source). */
  maxPreparedBytes: number;
  log: (errors: readonly GraphQLFormattedError[]) => void;
  /** Spans for preparing and executing an operation within a request's trace; none without it. */
  tracer?: Tracer;
}

export interface OperationRequest {
  params: GraphQLParams & { query: string };
  method: string;
  authz: RequestAuthorization | undefined;
  /** Names the request to the providers it calls. */
  requestId?: string;
  /** The request's trace (its span's context); provider calls carry it on. */
  trace?: Context;
  /** The cost this operation may reach (the requesting app's budget). */
  maxCost: number;
  lineage: boolean;
  /** Status for a well-formed request whose document is refused (400, or 200 for legacy JSON clients). */
  documentStatus: number;
}

/** An operation refused before it runs: the status, the body and the headers of the refusal. */
type Refusal = Pick<OperationResult, 'status' | 'body' | 'headers'>;

interface Prepared {
  pruned: PrunedOperation | undefined;
  /** The canonical document to plan, or null when nothing is left to ask. */
  planned: DocumentNode | null;
  operationName: string | undefined;
  shield: DocumentNode | null;
  /** The planned document selects fields under the gateway's own `_jg_` aliases, to be removed. */
  internal: boolean;
  /** Length of the planned document's text when the gateway made it (0 when it is the requester's own). */
  bytes: number;
}

/** Bytes an entry takes per byte of text (documents and the pruning's bookkeeping). */
const PREPARED_WEIGHT = 16;

function documentErrors(errors: readonly GraphQLError[], code?: ErrorCode): GraphQLFormattedError[] {
  return errors.map((e) => {
    const json = e.toJSON();
    const own = typeof e.extensions.code === 'string' && e.extensions.code in ERRORS ? (e.extensions.code as ErrorCode) : undefined;
    return formattedError(code ?? own ?? documentErrorCode(e), e.message, own ? e.extensions : {}, json.locations);
  });
}

/** A catalogued code on every execution error; engine internals are not passed on. */
function formatExecutionError(error: GraphQLError | GraphQLFormattedError): GraphQLFormattedError {
  const json = 'toJSON' in error ? error.toJSON() : error;
  const extensions = { ...json.extensions };
  const code = typeof extensions.code === 'string' && extensions.code in ERRORS ? (extensions.code as ErrorCode) : 'INTERNAL_SERVER_ERROR';
  if (code === 'INTERNAL_SERVER_ERROR') delete extensions.serviceName;
  return { ...json, extensions: { ...extensions, code, hint: extensions.hint ?? ERRORS[code].hint } };
}

type PreparedCache = LRUCache<string, Prepared>;

function prepare(stages: OperationStages, prepared: PreparedCache, document: DocumentNode, source: string, operation: OperationDefinitionNode, operationName: string | null, request: OperationRequest): Prepared {
  const { authz, lineage } = request;
  // This entry memoises the whole rewrite (pruning, then instrumentForLineage/instrumentForKeys),
  // so it is keyed by the text plus the scope that shaped it, never by a DocumentNode: in dry-run
  // the unpruned document is shared by every scope, yet the keys instrumented follow the verdicts.
  // The mode is the gateway's own, and a label change swaps in a new runner (test/prepared-operations).
  const key = `${authz ? authz.scope : ''}\u0000${lineage ? 'L' : ''}\u0000${operationName ?? ''}\u0000${source}`;
  let entry = prepared.get(key);
  if (entry) return entry;
  let pruned: PrunedOperation | undefined;
  let planned: DocumentNode | null = document;
  let name = operationName ?? undefined;
  if (authz) {
    pruned = pruneDeniedFields({ schema: stages.served, document, operationName, verdictFor: authz.verdictFor });
    if (authz.mode !== 'dry-run') planned = pruned.nothingLeft ? null : pruned.document;
  }
  if (planned && lineage) planned = instrumentForLineage(stages.quality, planned, name ?? null, authz?.verdictFor);
  else if (planned && authz) planned = instrumentForKeys(stages.quality, planned, name ?? null, authz.verdictFor);
  if (planned && planned !== document) name = operation.name?.value;
  const shield = planned && authz && authz.mode !== 'dry-run' && stages.shielded ? shieldDocument(stages.served, planned, authz.verdictFor) : null;
  let internal = false;
  let bytes = 0;
  if (planned) {
    // Requesters cannot use the `_jg_` prefix (ReservedAliasRule): only a document the gateway changed has it.
    const text = planned === document ? `${name ?? ''}\u0000${source}` : print(planned);
    if (planned !== document) {
      internal = text.includes(INTERNAL_ALIAS_PREFIX);
      bytes = text.length;
    }
    const build = planned;
    planned = stages.executor.canonicalDocument(text, () => build);
  }
  entry = { pruned, planned, operationName: name, shield, internal, bytes };
  if ((key.length + bytes) * PREPARED_WEIGHT <= stages.maxPreparedBytes / 8) prepared.set(key, entry);
  return entry;
}

/** The operation to run, or the response refusing it: by method, as a document, by its variables or by its cost. */
function checkOperation(stages: OperationStages, request: OperationRequest): { document: DocumentNode; operation: OperationDefinitionNode } | Refusal {
  const { params, documentStatus } = request;
  const checked = stages.documents(params.query);
  if (request.method !== 'POST' && checked.document) {
    // GET may only read: anything else is refused by method, before the document is judged.
    const kind = getOperationAST(checked.document, params.operationName)?.operation;
    if (kind && kind !== 'query') return { status: 405, headers: { allow: 'POST' }, body: errorBody('METHOD_NOT_ALLOWED', `A ${kind} must be sent with POST.`) };
  }
  if (!checked.ok) return { status: documentStatus, body: { errors: documentErrors(checked.errors) } };
  const operation = getOperationAST(checked.document, params.operationName);
  if (!operation) {
    const message = params.operationName ? `Unknown operation named "${params.operationName}".` : 'Must provide operation name if query contains multiple operations.';
    return { status: documentStatus, body: errorBody('OPERATION_NOT_FOUND', message) };
  }
  if (operation.operation === 'subscription' || !stages.served.getRootType(operation.operation)) {
    return { status: documentStatus, body: errorBody('OPERATION_NOT_SUPPORTED', `This gateway does not serve ${operation.operation} operations.`) };
  }
  const coerced = getVariableValues(stages.served, operation.variableDefinitions ?? [], params.variables ?? {});
  if (coerced.errors) return { status: documentStatus, body: { errors: documentErrors(coerced.errors, 'BAD_USER_INPUT') } };
  const refusals = costRefusals(stages.costOf(checked.document, operation, params.variables), request.maxCost);
  if (refusals.length > 0) return { status: documentStatus, body: { errors: documentErrors(refusals) } };
  return { document: checked.document, operation };
}

/** Runs the planned document (and re-checks it under the shield), or answers from the schema what is left without one. */
async function executePlan(stages: OperationStages, request: OperationRequest, plan: Prepared, context: OperationContext): Promise<ExecutionOutcome> {
  const { params } = request;
  const tracer = request.trace ? stages.tracer : undefined;
  if (plan.planned) {
    context.quality.document = plan.planned;
    const executing = tracer?.startSpan('execute plan', {}, request.trace);
    if (executing) context.trace = trace.setSpan(request.trace!, executing);
    const result = await stages.executor.execute({ document: plan.planned, operationName: plan.operationName, variables: params.variables, context }).finally(() => executing?.end());
    const data = (result.data ?? null) as Record<string, unknown> | null;
    const errors = (result.errors ?? []).map(formatExecutionError);
    if (plan.shield && stages.shielded && data) {
      errors.push(...(await releaseUnderShield({ schema: stages.shielded, document: plan.shield, data, variables: params.variables, context })));
    }
    return { data, errors };
  }
  if (plan.pruned && plan.pruned.document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.selectionSet.selections.length > 0)) {
    // Only `__typename` is left: the gateway answers it from the schema.
    return { data: (execute({ schema: stages.served, document: plan.pruned.document }) as { data?: Record<string, unknown> | null }).data ?? {}, errors: [] };
  }
  return { data: {}, errors: [] };
}

/** The introspection half answered from the schema, merged with the data half in the order the root keys were asked. */
async function mergeIntrospection(stages: OperationStages, params: OperationRequest['params'], introspection: DocumentNode, keys: readonly string[], outcome: ExecutionOutcome): Promise<ExecutionOutcome> {
  const result = await execute({ schema: stages.served, document: introspection, operationName: params.operationName, variableValues: params.variables ?? {} });
  const merged: Record<string, unknown> = {};
  for (const key of keys) {
    if (result.data && key in result.data) merged[key] = result.data[key];
    else if (outcome.data && key in outcome.data) merged[key] = outcome.data[key];
  }
  return { ...outcome, data: merged, errors: [...outcome.errors, ...(result.errors ?? []).map(formatExecutionError)] };
}

/** Quality observed, what was returned counted for the access record, the gateway's own fields stripped. */
function respond(stages: OperationStages, request: OperationRequest, context: OperationContext, outcome: ExecutionOutcome, plan: Prepared | undefined): OperationResult {
  const pruned = plan?.pruned;
  const lineage = observeQuality(stages.quality, stages.worthObserving, context.quality, outcome.data);
  const extensions = lineage ? { ...outcome.extensions, lineage } : outcome.extensions;
  const returned = request.authz && pruned ? returnedCoordinates(stages.served, pruned.document, outcome.data, stages.catalog.entityTypes, stages.catalog.keyFields) : undefined;
  if (plan?.internal) stripInternalFields(outcome.data);
  const unexpected = outcome.errors.filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
  if (unexpected.length > 0) stages.log(unexpected);
  const body: OperationResult['body'] = { data: outcome.data ?? null };
  if (outcome.errors.length > 0) body.errors = outcome.errors;
  if (extensions) body.extensions = extensions;
  const answered = { returned: returned?.coordinates ?? [], entities: returned?.entities ?? 0, errors: outcome.errors.length, valueDigests: returned?.valueDigests ?? [] };
  const denied = pruned?.denied ?? [];
  return { status: 200, body, answered, outcome: answeredOutcome(denied, answered), denied, providers: context.providers() };
}

export function createOperationRunner(stages: OperationStages) {
  // Weighed by what an entry holds: its key, and the pruned document it keeps (which fragments
  // inlined can make larger than the source).
  const prepared: PreparedCache = new LRUCache<string, Prepared>({ maxSize: stages.maxPreparedBytes, sizeCalculation: (entry, key) => Math.max(1, (key.length + entry.bytes) * PREPARED_WEIGHT) });

  return async function runOperation(request: OperationRequest): Promise<OperationResult> {
    const { params, authz } = request;
    const checked = checkOperation(stages, request);
    if ('status' in checked) return refusedOperation(checked);
    const { operation } = checked;
    const split = splitIntrospection(checked.document, operation);
    const dataDocument = split ? split.data : checked.document;
    const context = new OperationContext(authz, request.requestId, request.trace, request.lineage);
    let outcome: ExecutionOutcome = { data: undefined, errors: [] };
    let plan: Prepared | undefined;
    if (dataDocument) {
      const source = split ? split.dataSource : params.query;
      const preparing = request.trace ? stages.tracer?.startSpan('prune and plan', {}, request.trace) : undefined;
      plan = prepare(stages, prepared, dataDocument, source, operation, params.operationName, request);
      preparing?.end();
      const { pruned } = plan;
      if (authz?.mode === 'reject' && pruned && pruned.denied.length > 0) return refusedOperation({ status: 403, body: rejection(ownDenials(pruned, authz)) }, pruned.denied);
      outcome = await executePlan(stages, request, plan, context);
      if (authz && pruned) outcome = settleDenials(outcome, authz, pruned);
    }
    if (split?.introspection) outcome = await mergeIntrospection(stages, params, split.introspection, split.keys, outcome);
    return respond(stages, request, context, outcome, plan);
  };
}
