// How long the supervisor waits before restarting a provider that died: doubling from a short
// first wait up to a cap, and short again once the provider had stayed up for a while.

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A provider that stayed up this long restarts after initialMs again. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = Object.freeze({ initialMs: 250, maxMs: 10_000, resetAfterMs: 30_000 });

/** The wait before the next restart, given the previous wait (none yet) and how long the provider was up. */
export function restartDelay(previousMs: number | undefined, upForMs: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  if (previousMs === undefined || upForMs >= backoff.resetAfterMs) return backoff.initialMs;
  return Math.min(previousMs * 2, backoff.maxMs);
}
