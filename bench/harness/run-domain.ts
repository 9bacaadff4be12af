// One domain of the run: its subgraph process, every contender's gateway in front of it, and
// each of its workloads — correctness and request counts first, then the load repeats, with the
// contenders' order rotated per repeat so that drift does not favour one of them. A gateway that
// fails or dies is reported as such and the run goes on without it.

import { readFileSync } from 'node:fs';
import { BASELINE, CONTENDERS as ALL_CONTENDERS } from '../plan/contenders.ts';
import type { Domain } from '../plan/domains.ts';
import type { LoadShape, Workload } from '../plan/workloads.ts';
import type { ContenderResult, LoadRun, WorkloadResult } from '../report/results.ts';
import { directCheck, loneCheck, postGraphQL, referenceProblem, type CheckedRequest, type LoneOutcome } from './check-correctness.ts';
import type { Driver } from './driver.ts';
import { pinToCore } from '../measure/child.ts';
import { directTargets, gatewayTarget, measureLoad } from './measure-load.ts';
import { startGateway, type Placement, type RunningGateway } from './start-gateway.ts';
import { startSubgraphProcess, type SubgraphProcess } from './subgraph-process.ts';

export interface DomainRun {
  domain: Domain;
  workloads: Workload[];
  placement: Placement;
  driver: Driver;
  subgraphArgs?: string[];
  /** Only these contenders (ids or prefixes); all when absent. */
  contenders?: readonly string[];
  log(line: string): void;
}

const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);
const describe = (error: unknown) => (error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error));

/**
 * What every gateway must answer: the workload's known answer, or else Apollo Gateway's (an
 * implementation independent of JointGraph, started for this alone when it is no contender),
 * checked for sanity. JointGraph's own answer is never the reference.
 */
async function checkedRequests(workload: Workload, reference: () => Promise<RunningGateway>): Promise<CheckedRequest[] | string> {
  const checked: CheckedRequest[] = [];
  for (const request of workload.requests) {
    const body = JSON.stringify({ query: request.query });
    if (request.expected) {
      checked.push({ request, body, expected: { data: request.expected.data, forbidden: [] } });
      continue;
    }
    let gateway: RunningGateway;
    try {
      gateway = await reference();
    } catch (error) {
      return `no reference answer: Apollo Gateway did not start (${describe(error)})`;
    }
    const { status, text } = await postGraphQL(gateway.url, gateway.headers, body);
    const problem = status === 200 ? referenceProblem(text) : `HTTP ${status}`;
    if (problem) return `reference answer from ${gateway.contender.id}: ${problem}`;
    checked.push({ request, body, expected: { data: (JSON.parse(text) as { data: unknown }).data, forbidden: [] } });
  }
  return checked;
}

const machineState = (run: LoadRun) => `other processes ${(run.foreignCpu * 100).toFixed(0)}% of the machine, steal ${(run.steal * 100).toFixed(0)}%, load average ${run.loadAverage.toFixed(1)}`;

/** Slow answers get a longer run, so that a single connection still sees a few of them (at most 6 s). */
function shapeFor(load: LoadShape, loneMs: number): LoadShape {
  return load.connections > 1 ? load : { ...load, durationS: Math.max(load.durationS, Math.min(6, (2.5 * loneMs) / 1000)) };
}

export async function runDomain(run: DomainRun): Promise<WorkloadResult[]> {
  const { domain, placement, driver, log } = run;
  const CONTENDERS = ALL_CONTENDERS.filter((c) => !run.contenders || run.contenders.some((id) => c.id.startsWith(id)));
  log(`[${domain.id}] starting subgraphs (${domain.title}${run.subgraphArgs ? `, ${run.subgraphArgs.join(' ')}` : ''})`);
  const subgraphs: SubgraphProcess = await startSubgraphProcess(domain, placement.dir, placement.parkCpu, run.subgraphArgs);
  const supergraphSdl = readFileSync(subgraphs.ready.supergraphFile, 'utf8');
  const gateways = new Map<string, RunningGateway>();
  const failures = new Map<string, string>();
  await Promise.all(
    CONTENDERS.filter((c) => !c.notRun && c.kind !== 'direct').map(async (c) => {
      try {
        gateways.set(c.id, await startGateway(c, domain, subgraphs.ready, placement));
      } catch (error) {
        failures.set(c.id, describe(error));
      }
    }),
  );
  log(`[${domain.id}] gateways up: ${[...gateways.keys()].join(', ')}${failures.size ? `; failed: ${[...failures.keys()].join(', ')}` : ''}`);
  let referenceGateway: RunningGateway | undefined;
  const reference = async () => {
    const contender = gateways.get(BASELINE);
    if (contender && !contender.exitReason()) return contender;
    referenceGateway ??= await startGateway(ALL_CONTENDERS.find((c) => c.id === BASELINE)!, domain, subgraphs.ready, placement);
    return referenceGateway;
  };
  const ourPids = () => [process.pid, driver.pid, subgraphs.child.pid, ...[...gateways.values(), ...(referenceGateway ? [referenceGateway] : [])].map((g) => g.pid)];
  const failure = (id: string) => failures.get(id) ?? gateways.get(id)?.exitReason() ?? null;
  const results: WorkloadResult[] = [];
  const warmed = new Set<string>();
  try {
    for (const workload of run.workloads) {
      await subgraphs.setLatency(workload.latencyMs);
      const result: WorkloadResult = {
        id: workload.id, scenario: workload.scenario, domain: domain.id, title: workload.title, latencyMs: workload.latencyMs,
        ...(workload.n ? { n: workload.n } : {}), queries: workload.requests.map((r) => r.title), load: workload.load, contenders: [],
      };
      results.push(result);
      const checked = await checkedRequests(workload, reference);
      const lone = new Map<string, LoneOutcome>();
      let captured: LoneOutcome['captured'] = [];
      for (const contender of CONTENDERS) {
        const entry: ContenderResult = { id: contender.id, label: contender.label, status: 'checked', runs: [] };
        result.contenders.push(entry);
        try {
          if (contender.notRun) Object.assign(entry, { status: 'not-run', note: contender.notRun });
          else if (typeof checked === 'string') Object.assign(entry, { status: 'failed', note: checked });
          else if (contender.kind === 'direct') {
            if (!workload.direct) Object.assign(entry, { status: 'not-run', note: 'measured on scenarios 1 and 2 only' });
            else entry.lone = await directCheck(captured, checked.length);
          } else if (failure(contender.id)) Object.assign(entry, { status: 'failed', note: failure(contender.id) });
          else {
            const outcome = await loneCheck(gateways.get(contender.id)!, checked, subgraphs, {
              supergraphSdl,
              capture: contender.id === 'jointgraph-plain' && workload.direct,
              ...(contender.grants === 'partial' ? { withhold: domain.authorization.withhold } : {}),
            });
            entry.lone = outcome.check;
            if (contender.id === 'jointgraph-plain') captured = outcome.captured;
            lone.set(contender.id, outcome);
          }
          if (entry.lone && !entry.lone.correct) Object.assign(entry, { status: 'incorrect', note: entry.lone.problem });
        } catch (error) {
          Object.assign(entry, { status: 'failed', note: failure(contender.id) ?? describe(error) });
        }
        log(`[${workload.id}] ${contender.id}: ${entry.status}${entry.lone ? ` (${entry.lone.subgraphRequests} subgraph requests, ${entry.lone.representations} representations, ${entry.lone.ms.toFixed(0)} ms)` : ''}${entry.note ? ` — ${entry.note}` : ''}`);
      }
      if (!workload.load || typeof checked === 'string') continue;
      const measured = result.contenders.filter((c) => c.status === 'checked');
      for (let repeat = 0; repeat < workload.load.repeats; repeat++) {
        for (const entry of rotate(measured, repeat)) {
          if (entry.status === 'failed') continue;
          const gateway = gateways.get(entry.id);
          const load = shapeFor(workload.load, entry.lone?.ms ?? 0);
          const targets = gateway
            ? [gatewayTarget(gateway, checked.map((c) => c.body), lone.get(entry.id)!, load.connections)]
            : directTargets(captured, load.connections);
          const context = { driver, subgraphs, pid: gateway?.pid ?? null, repeat: repeat + 1, perClientRequest: gateway ? 1 : captured.length / checked.length, ourPids,
            idlePids: () => [...gateways.values()].filter((g) => g !== gateway).map((g) => g.pid) };
          try {
            // The gateway under test alone on its core; the idle ones (and their late GC) elsewhere.
            if (gateway && placement.gatewayCpu !== undefined) pinToCore(gateway.pid, placement.gatewayCpu);
            if (gateway && !warmed.has(entry.id)) {
              await measureLoad(targets, { ...load, durationS: Math.min(3, load.durationS), repeats: 1 }, context);
              warmed.add(entry.id);
            }
            let measurement = await measureLoad(targets, load, context);
            // A round on a busy machine is run again, and left out of every figure if it stays busy.
            for (let retry = 0; measurement.busy && retry < load.busyRetries && !gateway?.exitReason(); retry++) {
              log(`[${workload.id}] ${entry.id} #${repeat + 1}: busy machine (${machineState(measurement)}), running the round again`);
              measurement = await measureLoad(targets, load, context);
            }
            if (measurement.busy && load.busyRetries > 0) measurement.excluded = true;
            const died = gateway?.exitReason();
            if (died) throw new Error(died);
            entry.runs.push(measurement);
            log(`[${workload.id}] ${entry.id} #${repeat + 1}: ${measurement.rps.toFixed(1)} req/s, ${measurement.cpuMsPerRequest?.toFixed(2) ?? '-'} CPU ms/req, p50 ${measurement.p50 ?? '-'} ms, p99 ${measurement.p99 ?? '-'} ms, ${measurement.subgraphRequestsPerRequest.toFixed(2)} subgraph req/req${measurement.busy ? `, busy machine (${machineState(measurement)})${measurement.excluded ? ': EXCLUDED' : ''}` : ''}${measurement.idleGatewaysCpu > 0.02 ? `, idle gateways used ${(measurement.idleGatewaysCpu * 100).toFixed(0)}% of a core` : ''}${measurement.valid ? '' : ` INVALID (${measurement.firstMismatch ?? `${measurement.errors} errors, ${measurement.timeouts} timeouts, ${measurement.non2xx} non-2xx`})`}`);
          } catch (error) {
            Object.assign(entry, { status: 'failed', note: `under load: ${gateway?.exitReason() ?? describe(error)}` });
            log(`[${workload.id}] ${entry.id} #${repeat + 1}: failed — ${entry.note}`);
          } finally {
            if (gateway && placement.parkCpu !== undefined && !gateway.exitReason()) pinToCore(gateway.pid, placement.parkCpu);
          }
        }
      }
      for (const entry of measured) if (entry.status === 'checked') entry.status = 'measured';
    }
  } finally {
    await Promise.all([...gateways.values(), ...(referenceGateway ? [referenceGateway] : [])].map((g) => g.stop()));
    await subgraphs.child.stop();
  }
  return results;
}
