// One lone request per query and gateway, before any load: is the answer right, and how many
// subgraph requests (and entity representations) did it take? JointGraph-plain's requests are
// captured too, so the providers can later be driven with exactly its query plan.

import type { CapturedRequest } from '../kit/subgraph-traffic.ts';
import { mismatch, withheldExpectation, type Expectation } from '../measure/expectation.ts';
import type { WorkloadRequest } from '../plan/workloads.ts';
import type { LoneCheck } from '../report/results.ts';
import type { RunningGateway } from './start-gateway.ts';
import { trafficDelta, type SubgraphProcess } from './subgraph-process.ts';

export interface CheckedRequest {
  request: WorkloadRequest;
  body: string;
  /** The answer every gateway must give (a lacking-grants requester gets its own). */
  expected: Expectation;
}

export async function postGraphQL(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

/** A reference answer from a gateway, for queries without a known answer: no errors, no null anywhere. */
export function referenceProblem(text: string): string | null {
  const body = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (body.errors) return `errors: ${JSON.stringify(body.errors).slice(0, 200)}`;
  return JSON.stringify(body.data ?? null).includes('null') ? 'null values in the reference answer' : null;
}

export function expectationFor(checked: CheckedRequest, withhold: readonly string[] | undefined, supergraphSdl: string): Expectation {
  if (!withhold?.length) return checked.expected;
  return withheldExpectation(supergraphSdl, checked.request.query, checked.expected.data, withhold);
}

export interface LoneOutcome {
  check: LoneCheck;
  /** The answers as sent, which the load driver compares every answer with. */
  texts: string[];
  expectations: Expectation[];
  captured: CapturedRequest[];
}

export async function loneCheck(
  gateway: RunningGateway,
  requests: readonly CheckedRequest[],
  subgraphs: SubgraphProcess,
  options: { withhold?: readonly string[]; supergraphSdl: string; capture: boolean },
): Promise<LoneOutcome> {
  const outcome: LoneOutcome = { check: { correct: true, subgraphRequests: 0, representations: 0, ms: 0, perQuery: [] }, texts: [], expectations: [], captured: [] };
  for (const checked of requests) {
    const expected = expectationFor(checked, options.withhold, options.supergraphSdl);
    if (options.capture) await subgraphs.startCapture();
    const before = await subgraphs.stats();
    const started = performance.now();
    const { status, text } = await postGraphQL(gateway.url, gateway.headers, checked.body);
    const ms = performance.now() - started;
    // A gateway answers only after its last subgraph request: nothing is left to settle.
    const delta = trafficDelta(before, await subgraphs.stats());
    if (options.capture) outcome.captured.push(...(await subgraphs.stopCapture()));
    const problem = status === 200 ? mismatch(text, expected) : `HTTP ${status}: ${text.slice(0, 200)}`;
    if (problem && outcome.check.correct) Object.assign(outcome.check, { correct: false, problem: `${checked.request.title}: ${problem}` });
    outcome.check.perQuery.push({ title: checked.request.title, subgraphRequests: delta.requests, representations: delta.representations, ms, perSubgraph: delta.perSubgraph });
    outcome.texts.push(text);
    outcome.expectations.push(expected);
  }
  const mean = (pick: (q: LoneCheck['perQuery'][number]) => number) => outcome.check.perQuery.reduce((t, q) => t + pick(q), 0) / requests.length;
  outcome.check.subgraphRequests = mean((q) => q.subgraphRequests);
  outcome.check.representations = mean((q) => q.representations);
  outcome.check.ms = mean((q) => q.ms);
  return outcome;
}

/** The providers answer JointGraph's captured plan directly: each request once, no errors. */
export async function directCheck(captured: readonly CapturedRequest[], queries: number): Promise<LoneCheck> {
  const check: LoneCheck = { correct: captured.length > 0, subgraphRequests: captured.length / queries, representations: 0, ms: 0, perQuery: [] };
  if (!check.correct) check.problem = 'no captured subgraph requests';
  for (const c of captured) {
    const { status, text } = await postGraphQL(c.url, {}, c.body);
    const variables = (JSON.parse(c.body) as { variables?: { representations?: unknown[] } }).variables;
    check.representations += (variables?.representations?.length ?? 0) / queries;
    if ((status !== 200 || text.includes('"errors"')) && check.correct) Object.assign(check, { correct: false, problem: `${c.subgraph}: HTTP ${status} ${text.slice(0, 200)}` });
  }
  return check;
}
