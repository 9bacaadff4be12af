// Starting and stopping the benchmark's child processes: output kept in a log file, ready either
// when it prints its ready line or when a GraphQL endpoint first answers, and then pinned to one
// core with taskset (every thread). Pinning only once ready lets several gateways start at once
// on both cores; what is measured runs pinned.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { READY_MARKER } from '../kit/ready-line.ts';

export interface Child<T> {
  pid: number;
  ready: T;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Core to pin to once ready, or undefined for no pinning. */
  cpu?: number;
  logFile: string;
  readyTimeoutMs?: number;
  /** Ready when this URL answers `{ __typename }` (for children that print no ready line). */
  readyUrl?: string;
  /** Sent with that probe: a gateway that enforces authorization answers only a known app. */
  readyHeaders?: Record<string, string>;
  /** Open an IPC channel. */
  ipc?: boolean;
  /** Working directory (default: this process's). */
  cwd?: string;
}

export const TSX = ['--import', 'tsx'];

export function spawnChild<T>(command: string, args: string[], options: SpawnOptions): Promise<Child<T>> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])], env: { ...process.env, NODE_ENV: 'production' }, ...(options.cwd ? { cwd: options.cwd } : {}) });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  const stop = () => stopChild(child);
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`${command} ${args.join(' ')}: not ready within ${options.readyTimeoutMs ?? 120_000} ms (log: ${options.logFile})`)), options.readyTimeoutMs ?? 120_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stop();
      reject(error);
    };
    const done = (ready: T) => {
      clearTimeout(timer);
      if (options.cpu !== undefined) pinToCore(child.pid!, options.cpu);
      resolve({ pid: child.pid!, ready, process: child, stop });
    };
    child.once('exit', (code) => fail(new Error(`${command} ${args.join(' ')} exited with ${code} before it was ready (log: ${options.logFile})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith(READY_MARKER)) done(JSON.parse(line.slice(READY_MARKER.length)) as T);
      }
    });
    if (options.readyUrl) void pollUntilAnswering(options.readyUrl, options.readyHeaders ?? {}, () => child.exitCode !== null).then((ok) => ok && done({ pid: child.pid!, url: options.readyUrl } as T));
  });
}

async function pollUntilAnswering(url: string, headers: Record<string, string>, gone: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 600 && !gone(); attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ __typename }"}' });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** Every thread of a running process onto one core; threads it starts later inherit it. */
export function pinToCore(pid: number, cpu: number): void {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`taskset could not pin ${pid} to core ${cpu}`);
}

export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A free loopback port, for children that must be told theirs (never 4222 or 4000–4005: the OS picks from the ephemeral range). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
