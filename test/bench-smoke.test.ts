// The benchmark harness in smoke mode (`npm run bench -- --smoke`): every gateway answers every
// scenario's queries correctly, and the subgraph requests each one costs are counted. No timing
// is asserted: CI machines are shared and small.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults, ContenderResult, WorkloadResult } from '../bench/report/results.ts';

const SMOKE_TIMEOUT_MS = 480_000;
let results: BenchResults;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'jointgraph-bench-smoke-test-'));
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
const JOINTGRAPH = ['jointgraph-plain', 'jointgraph-authz', 'jointgraph-authz-partial'];
const WITH_CACHE = 'jointgraph-authz-cache';

describe('benchmark smoke run', () => {
  it('gets the standard benchmark query right from every gateway and from the providers directly', () => {
    for (const c of workload('s1-standard').contenders) expect({ id: c.id, status: c.status, note: c.note }).toEqual({ id: c.id, status: 'measured' });
  });

  it('checks every answer under load too, with none wrong', () => {
    for (const c of workload('s1-standard').contenders.filter((c) => c.runs.length)) {
      expect({ id: c.id, mismatches: c.runs[0]!.mismatches, errors: c.runs[0]!.errors, valid: c.runs[0]!.valid }).toEqual({ id: c.id, mismatches: 0, errors: 0, valid: true });
    }
  });

  it('gets the README queries and the fan-out right from JointGraph, Apollo Gateway and Hive Gateway on both runtimes', () => {
    for (const w of results.workloads.filter((w) => w.domain !== 'standard')) {
      for (const id of [...JOINTGRAPH, WITH_CACHE, 'apollo', 'hive', 'hive-router']) expect({ w: w.id, id, correct: correct(contender(w, id)), note: contender(w, id).note }).toEqual({ w: w.id, id, correct: true, note: undefined });
    }
  });

  it('counts subgraph requests for every gateway that answered', () => {
    for (const w of results.workloads) {
      // The cache may answer a repeated query without asking any provider.
      for (const c of w.contenders.filter((c) => correct(c) && c.id !== WITH_CACHE)) expect(c.lone!.subgraphRequests, `${w.id} ${c.id}`).toBeGreaterThan(0);
    }
    const s1 = workload('s1-standard');
    expect(contender(s1, 'direct').lone!.subgraphRequests).toBe(contender(s1, 'jointgraph-plain').lone!.subgraphRequests);
    expect(contender(s1, 'jointgraph-plain').lone!.subgraphRequests).toBeLessThanOrEqual(contender(s1, 'apollo').lone!.subgraphRequests);
  });

  it('keeps JointGraph’s subgraph requests flat in the fan-out size', () => {
    const fanOut = results.workloads.filter((w) => w.scenario === 3);
    expect(fanOut.map((w) => w.n)).toEqual([10, 1000]);
    for (const id of JOINTGRAPH) {
      const counts = fanOut.map((w) => contender(w, id).lone!.subgraphRequests);
      expect(new Set(counts).size, `${id}: ${counts.join(', ')}`).toBe(1);
    }
  });

  it('never asks more of the providers with authorization (or the cache) on than without', () => {
    for (const w of results.workloads) {
      const plain = contender(w, 'jointgraph-plain').lone!.subgraphRequests;
      expect(contender(w, 'jointgraph-authz').lone!.subgraphRequests, w.id).toBe(plain);
      expect(contender(w, 'jointgraph-authz-partial').lone!.subgraphRequests, w.id).toBeLessThanOrEqual(plain);
      expect(contender(w, WITH_CACHE).lone!.subgraphRequests, w.id).toBeLessThanOrEqual(plain);
    }
  });
});
