// The benchmark harness in smoke mode (`npm run bench -- --smoke`): its contenders answer every
// scenario's queries correctly, the subgraph requests each one costs are counted, one short load
// window per contender is checked answer by answer, and the report takes its ratios and CPU figures
// from it. No timing is asserted: CI machines are shared and small.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMOKE_CONTENDERS } from '../bench/plan/contenders.ts';
import type { BenchResults, ContenderResult, WorkloadResult } from '../bench/report/results.ts';
import { summarise } from '../bench/report/summarise.ts';

const SMOKE_TIMEOUT_MS = 240_000;
let results: BenchResults;
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'jointgraph-bench-smoke-test-'));
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], {
    cwd: new URL('..', import.meta.url).pathname,
    timeout: SMOKE_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
}, SMOKE_TIMEOUT_MS + 10_000);

const workload = (id: string): WorkloadResult => {
  const found = results.workloads.find((w) => w.id === id);
  if (!found) throw new Error(`no workload ${id}`);
  return found;
};
const contender = (w: WorkloadResult, id: string): ContenderResult => w.contenders.find((c) => c.id === id)!;
const correct = (c: ContenderResult) => c.status === 'checked' || c.status === 'measured';
const JOINTGRAPH = ['jointgraph-plain', 'jointgraph-authz-partial'];

describe('benchmark smoke run', () => {
  it('runs the smoke contenders on scenario 1 and the fan-out, at two sizes and with latency', () => {
    expect(results.workloads.map((w) => w.id)).toEqual(['s1-standard', 's3-fanout-10', 's3-fanout-100', 's4-fanout-100']);
    for (const w of results.workloads) expect(w.contenders.map((c) => c.id), w.id).toEqual(SMOKE_CONTENDERS);
  });

  it('gets the standard benchmark query right from every gateway and from the providers directly', () => {
    for (const c of workload('s1-standard').contenders) expect({ id: c.id, status: c.status, note: c.note }).toEqual({ id: c.id, status: 'measured' });
  });

  it('checks every answer under load too, with none wrong', () => {
    for (const c of workload('s1-standard').contenders) {
      expect({ id: c.id, runs: c.runs.length, mismatches: c.runs[0]!.mismatches, errors: c.runs[0]!.errors, valid: c.runs[0]!.valid }).toEqual({ id: c.id, runs: 1, mismatches: 0, errors: 0, valid: true });
    }
  });

  it('gets the fan-out right from JointGraph and Apollo Gateway against the reference answer', () => {
    for (const w of results.workloads.filter((w) => w.domain === 'fanout')) {
      for (const id of [...JOINTGRAPH, 'apollo']) expect({ w: w.id, id, correct: correct(contender(w, id)), note: contender(w, id).note }).toEqual({ w: w.id, id, correct: true, note: undefined });
      expect(contender(w, 'direct').status, w.id).toBe('not-run');
    }
  });

  it('counts subgraph requests for every gateway that answered', () => {
    for (const w of results.workloads) {
      for (const c of w.contenders.filter(correct)) expect(c.lone!.subgraphRequests, `${w.id} ${c.id}`).toBeGreaterThan(0);
    }
    const s1 = workload('s1-standard');
    expect(contender(s1, 'direct').lone!.subgraphRequests).toBe(contender(s1, 'jointgraph-plain').lone!.subgraphRequests);
    expect(contender(s1, 'jointgraph-plain').lone!.subgraphRequests).toBeLessThanOrEqual(contender(s1, 'apollo').lone!.subgraphRequests);
  });

  it('keeps JointGraph’s subgraph requests flat in the fan-out size', () => {
    const fanOut = results.workloads.filter((w) => w.scenario === 3);
    expect(fanOut.map((w) => w.n)).toEqual([10, 100]);
    for (const id of JOINTGRAPH) {
      const counts = fanOut.map((w) => contender(w, id).lone!.subgraphRequests);
      expect(new Set(counts).size, `${id}: ${counts.join(', ')}`).toBe(1);
    }
  });

  it('never asks more of the providers with grants withheld than without', () => {
    for (const w of results.workloads) {
      expect(contender(w, 'jointgraph-authz-partial').lone!.subgraphRequests, w.id).toBeLessThanOrEqual(contender(w, 'jointgraph-plain').lone!.subgraphRequests);
    }
  });

  it('takes each gateway’s CPU per request and its ratios to Apollo Gateway and to JointGraph from the same round', () => {
    const s1 = workload('s1-standard');
    for (const c of s1.contenders.filter((c) => c.id !== 'direct')) {
      const summary = summarise(s1, c)!;
      expect(summary.cpuMsPerRequest, c.id).toBeGreaterThan(0);
      expect(summary.vsBaseline, c.id).toBeCloseTo(c.runs[0]!.rps / contender(s1, 'apollo').runs[0]!.rps);
      expect(summary.vsOurs, c.id).toBeCloseTo(c.runs[0]!.rps / contender(s1, 'jointgraph-plain').runs[0]!.rps);
    }
    expect(summarise(s1, contender(s1, 'direct'))!.cpuMsPerRequest).toBeNull();
  });

  it('writes the report and both charts beside results.json', () => {
    const report = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    const s1 = workload('s1-standard');
    for (const c of s1.contenders.filter((c) => c.id !== 'direct')) {
      const row = report.split('\n').find((line) => line.startsWith(`| ${c.label} | ${c.runs[0]!.rps.toFixed(1)}`));
      expect(row, c.id).toContain(` | ${summarise(s1, c)!.vsBaseline!.toFixed(2)}× | `);
    }
    for (const chart of ['throughput.svg', 'fanout.svg']) expect(readFileSync(join(out, chart), 'utf8'), chart).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(results.notes.filter((n) => /could not run/.test(n))).toEqual([]);
  });
});
