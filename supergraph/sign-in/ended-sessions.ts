// Sessions signed out before their expiry: a signed-out cookie replayed is refused until it would
// have expired anyway. Kept in this process, bounded by count; each entry leaves at its expiry.

const MAX_ENDED = 100_000;

export class EndedSessions {
  readonly #until = new Map<string, number>();

  end(sessionId: string, expiresAtMs: number, now = Date.now()): void {
    for (const [id, until] of this.#until) if (until <= now) this.#until.delete(id);
    // Past the bound the oldest entries go first (a Map keeps insertion order).
    while (this.#until.size >= MAX_ENDED) this.#until.delete(this.#until.keys().next().value!);
    this.#until.set(sessionId, expiresAtMs);
  }

  has(sessionId: string): boolean {
    return this.#until.has(sessionId);
  }
}
