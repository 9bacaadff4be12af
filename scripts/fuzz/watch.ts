// Watches an in-process gateway through a long run: a normal request at a fixed interval, timed
// and kept, and the process's memory sampled at every tick. The run's test says what must hold.

import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export type Send = () => Promise<{ status: number; body: string }>;

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

export interface Watched {
  answers: Answer[];
  peakHeapUsedBytes: number;
  peakRssBytes: number;
}

/** One request, timed; a failure to connect is an answer with status 0, so that it is counted, not thrown. */
export async function timed(send: Send): Promise<Answer> {
  const start = performance.now();
  try {
    return { ...(await send()), ms: performance.now() - start };
  } catch (error) {
    return { status: 0, body: String(error), ms: performance.now() - start };
  }
}

/**
 * Sends at once and then at every tick of `intervalMs`, never two at a time (a slow answer delays
 * the next tick instead of piling requests up), until `stop()`.
 */
export function startWatch(send: Send, intervalMs: number): { stop(): Promise<Watched> } {
  const watched: Watched = { answers: [], peakHeapUsedBytes: 0, peakRssBytes: 0 };
  const stopping = new AbortController();
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    watched.peakHeapUsedBytes = Math.max(watched.peakHeapUsedBytes, heapUsed);
    watched.peakRssBytes = Math.max(watched.peakRssBytes, rss);
  };
  const loop = async () => {
    const start = performance.now();
    for (let tick = 1; !stopping.signal.aborted; tick++) {
      sample();
      watched.answers.push(await timed(send));
      const wait = Math.max(0, start + tick * intervalMs - performance.now());
      // The wait rejects only when stop() aborts it, which ends the loop.
      await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
    sample();
  };
  const running = loop();
  return {
    async stop() {
      stopping.abort();
      await running;
      return watched;
    },
  };
}

/** p50, p99 and max by nearest rank, in ms. */
export function latencySummary(answers: readonly Answer[]): { p50: number; p99: number; max: number } {
  const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted.at(-1) ?? Number.NaN };
}

/** heapUsed after a full collection when the process has `--expose-gc`; otherwise as it stands. */
export function settledHeapUsed(): { bytes: number; collected: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return { bytes: process.memoryUsage().heapUsed, collected: gc !== undefined };
}
