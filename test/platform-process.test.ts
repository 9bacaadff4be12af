// `npm start` as an operator runs it: each provider and the gateway in a supervised process of its
// own that comes back after a crash, one instance per state directory, and nothing left running
// after SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, restartDelay } from '../server/restart-backoff.ts';
import type { GraphQLBody } from './support/platform.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TAX_QUERY = '{ enterprises(first: 3) { name taxCreditRating } }';
const DEMO_APP = { 'x-api-key': 'jg-demo-tax-inspection', 'x-jointgraph-purpose': 'tax-inspection/CASE-2026-0042' };

interface StartedPlatform {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const spawned: ChildProcess[] = [];
const dirs: string[] = [];

/**
 * `npm start`'s program (dist/cli/start.js) in a process of its own, on free ports, with only the
 * settings given here; or `npm start` itself (npm, then `sh -c`, then the program), as people run it.
 */
function startCli(settings: Record<string, string>, command: readonly string[] = [process.execPath, 'dist/cli/start.js']): StartedPlatform {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JG_')));
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...env, JG_PORT: '0', JG_SUBGRAPH_BASE_PORT: '0', JG_PERSONS: '200', JG_PROBE_INTERVAL_MS: '0', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `probe` every 200 ms until it returns a value; fails with `what` after `capMs`. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, capMs = 30_000): Promise<T> {
  const deadline = Date.now() + capMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Printed {
  pid: number;
  url: string;
}

/** Each provider's latest process id and URL, as `npm start` prints them. */
function providers(output: string): Map<string, Printed> {
  const latest = new Map<string, Printed>();
  for (const m of output.matchAll(/^provider\s+(\S+)\s+pid (\d+)\s+(\S+)/gm)) latest.set(m[1]!, { pid: Number(m[2]), url: m[3]! });
  return latest;
}

/** The gateway's latest process id and URL, as `npm start` prints them. */
function gateway(output: string): Printed | undefined {
  const m = [...output.matchAll(/^gateway\s+pid (\d+)\s+(\S+)/gm)].at(-1);
  return m && { pid: Number(m[1]), url: m[2]! };
}

/** Every child process `npm start` printed, restarted ones included. */
function printedPids(output: string): number[] {
  return [...output.matchAll(/^(?:provider|gateway)\b.*? pid (\d+)/gm)].map((m) => Number(m[1]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function query(endpoint: string): Promise<GraphQLBody> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...DEMO_APP },
    body: JSON.stringify({ query: TAX_QUERY }),
  });
  return (await response.json()) as GraphQLBody;
}

function isFull(body: GraphQLBody): boolean {
  const enterprises = body.data?.enterprises as { taxCreditRating: string | null }[] | undefined;
  return body.errors === undefined && enterprises?.length === 3 && enterprises.every((e) => e.taxCreditRating !== null);
}

describe('the restart wait', () => {
  it('doubles from 250 ms up to 10 s, and starts over after a provider stayed up 30 s', () => {
    const waits: number[] = [];
    let last: number | undefined;
    for (let death = 0; death < 8; death++) waits.push((last = restartDelay(last, 1_000)));
    expect(waits).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(restartDelay(10_000, DEFAULT_BACKOFF.resetAfterMs)).toBe(250);
  });
});

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jointgraph-process-'));
  const stateDir = join(dataDir, 'state');
  dirs.push(dataDir);
  let first: StartedPlatform;
  let endpoint: string;

  beforeAll(async () => {
    first = startCli({ JG_DATA_DIR: dataDir, JG_STATE_DIR: stateDir });
    endpoint = await until('the gateway to be ready', async () => {
      if (first.child.exitCode !== null) throw new Error(`dist/cli/start.js exited ${first.child.exitCode}:\n${first.output()}`);
      return first.output().match(/GraphQL\s+(\S+)/)?.[1];
    }, 60_000);
  }, 90_000);

  afterAll(() => {
    const pids = [...spawned.map((c) => c.pid), ...printedPids(first?.output() ?? '')];
    for (const pid of pids) if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('suggests a first curl request that answers with data and no errors', async () => {
    const printed = await until('the suggested request', () => first.output().match(/^Try:\n\s+curl -s (\S+) ((?:-H '[^']*' )+)\\\n\s+-d '([^']*)'$/m) ?? undefined);
    const headers = Object.fromEntries([...printed[2]!.matchAll(/-H '([^:]+): ([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
    expect(headers).toMatchObject({ 'x-api-key': expect.any(String), 'x-jointgraph-purpose': expect.any(String) });
    const response = await fetch(printed[1]!, { method: 'POST', headers, body: printed[3]! });
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors).toBeUndefined();
    expect(response.status).toBe(200);
    expect((body.data?.enterprises as unknown[]).length).toBeGreaterThan(0);
  });

  it('runs each provider in a process of its own and restarts one killed with SIGKILL, on the same URL', async () => {
    const before = providers(first.output());
    expect([...before.keys()].sort()).toEqual(['civil-affairs', 'enterprise', 'population', 'social-insurance', 'tax']);
    expect(new Set([...before.values()].map((p) => p.pid)).size).toBe(5);
    expect(isFull(await query(endpoint))).toBe(true);

    const gatewayBefore = gateway(first.output());
    const tax = before.get('tax')!;
    process.kill(tax.pid, 'SIGKILL');
    const answers: GraphQLBody[] = [];
    await until('the full answer again', async () => {
      const body = await query(endpoint);
      answers.push(body);
      return isFull(body) ? body : undefined;
    });

    // Until it is back, the gateway answers with the other providers' data and a coded error naming tax.
    for (const body of answers.filter((b) => !isFull(b))) {
      expect((body.data?.enterprises as unknown[]).length).toBe(3);
      for (const error of body.errors ?? []) {
        expect(error.extensions?.code).toMatch(/^SUBGRAPH_/);
        expect(error.extensions?.subgraph).toBe('tax');
      }
    }
    const after = providers(first.output()).get('tax')!;
    expect(after.pid).not.toBe(tax.pid);
    expect(after.url).toBe(tax.url);
    expect(first.output()).toMatch(/provider\s+tax\s+died \(signal SIGKILL\); restarting in \d+ ms/);
    expect(gateway(first.output())).toEqual(gatewayBefore);
    expect(first.child.exitCode).toBeNull();
  }, 60_000);

  it('runs the gateway in a process of its own and restarts it killed with SIGKILL, on the same URL, while every provider keeps its process', async () => {
    const providersBefore = providers(first.output());
    const before = gateway(first.output())!;
    expect(`${before.url}/graphql`).toBe(endpoint);
    expect(before.pid).not.toBe(first.child.pid);
    expect([...providersBefore.values()].map((p) => p.pid)).not.toContain(before.pid);

    process.kill(before.pid, 'SIGKILL');
    // Requests are refused until the new process listens; it prints its pid once it does.
    const after = await until('a new gateway process', () => {
      const latest = gateway(first.output());
      return latest && latest.pid !== before.pid ? latest : undefined;
    });
    await until('the full answer again', async () => {
      const body = await query(endpoint).catch(() => undefined);
      return body && isFull(body) ? body : undefined;
    });

    expect(after.url).toBe(before.url);
    expect(alive(before.pid)).toBe(false);
    expect(first.output()).toMatch(/gateway\s+died \(signal SIGKILL\); restarting in \d+ ms/);
    expect(providers(first.output())).toEqual(providersBefore);
    expect([...providersBefore.values()].every((p) => alive(p.pid))).toBe(true);
    expect(first.child.exitCode).toBeNull();
  }, 60_000);

  it('refuses a second instance on the same state directory with STATE_DIR_LOCKED, and the first keeps answering', async () => {
    const otherData = mkdtempSync(join(tmpdir(), 'jointgraph-process-'));
    dirs.push(otherData);
    const second = startCli({ JG_DATA_DIR: otherData, JG_STATE_DIR: stateDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('[STATE_DIR_LOCKED]');
    expect(second.output()).toContain(`(pid ${first.child.pid})`);
    expect(isFull(await query(endpoint))).toBe(true);
  }, 60_000);

  it('stops the gateway and every provider process on SIGTERM, and releases the state directory', async () => {
    const pids = [...providers(first.output()).values(), gateway(first.output())!].map((p) => p.pid);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await until('the gateway and every provider process to exit', () => (pids.some(alive) ? undefined : true));
    expect(existsSync(join(stateDir, 'instance.lock'))).toBe(false);
  }, 60_000);
});

describe('npm start itself', () => {
  it('stops every process it started when npm is sent SIGTERM (npm runs it under sh -c, which does not pass the signal on)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jointgraph-process-'));
    dirs.push(dataDir);
    const started = startCli({ JG_DATA_DIR: dataDir, JG_STATE_DIR: join(dataDir, 'state') }, ['npm', 'start', '--silent']);
    await until('the gateway to be ready', () => {
      if (started.child.exitCode !== null) throw new Error(`npm start exited ${started.child.exitCode}:\n${started.output()}`);
      return started.output().match(/GraphQL\s+(\S+)/)?.[1];
    }, 60_000);
    const pids = printedPids(started.output());
    expect(pids.length).toBe(6);
    started.child.kill('SIGTERM');
    await started.exited;
    await until('the gateway and every provider process to exit', () => (pids.some(alive) ? undefined : true));
  }, 90_000);
});
