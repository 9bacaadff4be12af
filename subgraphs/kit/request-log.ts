// What a provider was asked: every GraphQL request it received, bounded to the newest entries.
// Tests read it to count subgraph requests and to see exactly which fields reached a provider.

export interface ProviderRequest {
  provider: string;
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  at: number;
}

export class RequestLog {
  readonly #entries: ProviderRequest[] = [];
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  record(entry: Omit<ProviderRequest, 'at'>): void {
    this.#entries.push({ ...entry, at: Date.now() });
    if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
  }

  entries(provider?: string): readonly ProviderRequest[] {
    return provider ? this.#entries.filter((e) => e.provider === provider) : [...this.#entries];
  }

  /** Requests that are not introspection or health probes. */
  dataRequests(provider?: string): readonly ProviderRequest[] {
    return this.entries(provider).filter((e) => !/^\s*(query\s*)?\{\s*(__typename|_service)\b/.test(e.query));
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
