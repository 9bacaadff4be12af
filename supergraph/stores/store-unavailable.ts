// The one error a shared store raises when it cannot be reached: STORE_UNAVAILABLE. At start the
// gateway stops with it; later an admin write fails with it, while data requests go on from memory.

export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
}

/** Whether a failure is PostgreSQL being out of reach (rather than a statement's own error, a bug). */
export function unreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // SQLSTATE classes 08 (connection), 53 (resources) and 57 (operator intervention, timeouts).
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|53|57)/.test(code);
  if (typeof code === 'string' && code.startsWith('E')) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT...
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i.test(message);
}

/** `what`: what did not happen, and what to do. */
export function storeUnavailable(where: string, error: unknown, what = 'the change was not made: retry once it answers'): StoreUnavailableError {
  return new StoreUnavailableError(`PostgreSQL at ${where} cannot be reached (${(error as Error).message}); ${what}.`);
}
