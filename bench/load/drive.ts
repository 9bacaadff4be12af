// Process entry: the load driver, a process of its own (pinned beside the subgraphs) that runs
// autocannon for the harness: it takes LoadSpec messages over IPC and answers each with a
// LoadResult, checking every answer on the way. Started by the harness (bench/harness/driver.ts).

import autocannon from 'autocannon';
import { announceReady } from '../kit/ready-line.ts';
import { mismatch } from '../measure/expectation.ts';
import { splitTolerantEqual } from '../measure/split-tolerant-equal.ts';
import type { LoadRequest, LoadResult, LoadSpec, LoadTarget } from './load-spec.ts';

interface Tally {
  answered: number;
  mismatches: number;
  firstMismatch?: string;
}

function check(tally: Tally, request: LoadRequest, status: number, body: string): void {
  tally.answered += 1;
  let problem: string | null = null;
  if (status !== 200) problem = `HTTP ${status}: ${body.slice(0, 200)}`;
  else if (!request.expected) problem = body.includes('"errors"') ? `errors: ${body.slice(0, 200)}` : null;
  // Every answer in full: the same text as the verified answer is the same answer; any other is
  // parsed and compared with the expectation (a gateway may order keys or add extensions anew).
  else if (body !== request.verifiedText) problem = mismatch(body, request.expected, splitTolerantEqual);
  if (problem) {
    tally.mismatches += 1;
    tally.firstMismatch ??= problem;
  }
}

/**
 * Answers per second once the first answer is in: all connections start at once, so the first
 * wave of a slow gateway takes a while and would otherwise weigh on a short run.
 */
function steadyRate(times: readonly number[], durationS: number): number {
  if (times.length < 2) return times.length / durationS;
  return (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
}

async function run(spec: LoadSpec, tally: Tally, target: LoadTarget): Promise<{ result: autocannon.Result; rate: number }> {
  const times: number[] = [];
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...target.headers },
    connections: target.connections,
    duration: spec.durationS,
    ...(spec.amount ? { amount: spec.amount } : {}),
    timeout: spec.timeoutS,
    requests: target.requests.map((request) => ({
      method: 'POST',
      body: request.body,
      onResponse: (status: number, body: string) => {
        times.push(performance.now());
        check(tally, request, status, body);
      },
    })),
  });
  return { result, rate: steadyRate(times, spec.durationS) };
}

async function drive(spec: LoadSpec): Promise<LoadResult> {
  const tally: Tally = { answered: 0, mismatches: 0 };
  const runs = await Promise.all(spec.targets.map((target) => run(spec, tally, target)));
  const results = runs.map((r) => r.result);
  const sum = (pick: (r: autocannon.Result) => number) => results.reduce((total, r) => total + pick(r), 0);
  const single = results.length === 1 ? results[0]! : undefined;
  return {
    durationS: Math.max(...results.map((r) => r.duration)),
    rps: runs.reduce((total, r) => total + r.rate, 0),
    completed: sum((r) => r.requests.total),
    sent: sum((r) => r.requests.sent),
    p50: single ? single.latency.p50 : null,
    p99: single ? single.latency.p99 : null,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    mismatches: tally.mismatches,
    ...(tally.firstMismatch ? { firstMismatch: tally.firstMismatch } : {}),
  };
}

process.on('message', (message: { id: number; spec: LoadSpec }) => {
  drive(message.spec).then(
    (result) => process.send!({ id: message.id, result }),
    (error: Error) => process.send!({ id: message.id, error: error.stack ?? error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
announceReady({});
