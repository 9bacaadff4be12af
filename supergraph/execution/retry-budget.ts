// A retry budget (as in Finagle and Envoy): within a window, retries may add at most `ratio`
// to the calls made, plus a floor of `minPerSecond` so that a quiet provider can still be
// retried. Without it, retries multiply the load on a provider exactly when it is failing.

export interface RetryBudgetOptions {
  /** Retries allowed per call made in the window. */
  ratio: number;
  /** Retries always allowed per second of the window, however few calls were made. */
  minPerSecond: number;
  windowMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = Object.freeze({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 });

export class RetryBudget {
  #windowStart = performance.now();
  #calls = 0;
  #retries = 0;

  constructor(private readonly options: RetryBudgetOptions) {}

  #roll(): void {
    const now = performance.now();
    if (now - this.#windowStart < this.options.windowMs) return;
    this.#windowStart = now;
    this.#calls = 0;
    this.#retries = 0;
  }

  /** A call was made (retries are not calls). */
  called(): void {
    this.#roll();
    this.#calls += 1;
  }

  /** Takes one retry from the budget; false when it is spent. */
  withdraw(): boolean {
    this.#roll();
    const allowed = (this.options.minPerSecond * this.options.windowMs) / 1_000 + this.options.ratio * this.#calls;
    if (this.#retries + 1 > allowed) return false;
    this.#retries += 1;
    return true;
  }
}
