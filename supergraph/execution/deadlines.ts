// One clock for every provider call's deadline. A call registers its deadline and the
// controller that cancels it; one sweeper, running only while calls are pending, aborts those
// past due. The wait for a free connection counts: a call never outlives its timeout.

const TICK_MS = 10;

export interface Deadline {
  readonly at: number;
  readonly controller: AbortController;
  expired: boolean;
}

export class Deadlines {
  readonly #pending = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;

  add(timeoutMs: number, controller: AbortController): Deadline {
    const deadline: Deadline = { at: performance.now() + timeoutMs, controller, expired: false };
    this.#pending.add(deadline);
    this.#timer ??= setInterval(() => this.#sweep(), TICK_MS).unref();
    return deadline;
  }

  remove(deadline: Deadline): void {
    this.#pending.delete(deadline);
    if (this.#pending.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #sweep(): void {
    const now = performance.now();
    for (const deadline of this.#pending) {
      if (deadline.at > now) continue;
      deadline.expired = true;
      this.#pending.delete(deadline);
      deadline.controller.abort();
    }
  }
}
