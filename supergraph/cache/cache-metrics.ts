// What every response cache counts, in-process or shared: hits, misses, and the lookups and writes
// a shared store failed (each failed lookup also counts as a miss: the request went to the provider).

import { Counter, Gauge, type Registry } from 'prom-client';

export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
  hitRatio: number;
  entries?: number;
  sizeBytes?: number;
}

/** What an in-process cache holds; a shared store's size is the store's to report. */
export interface CacheSize {
  entries: number;
  sizeBytes: number;
}

export class CacheMetrics {
  #hits = 0;
  #misses = 0;
  #errors = 0;
  readonly #hitCounter?: Counter;
  readonly #missCounter?: Counter;
  readonly #errorCounter?: Counter;
  readonly #size: (() => CacheSize) | undefined;

  constructor(registry: Registry | undefined, size?: () => CacheSize) {
    this.#size = size;
    if (!registry) return;
    this.#hitCounter = new Counter({ name: 'jointgraph_cache_hits_total', help: 'Provider results served from the cache', registers: [registry] });
    this.#missCounter = new Counter({ name: 'jointgraph_cache_misses_total', help: 'Cacheable provider results fetched because they were not cached', registers: [registry] });
    this.#errorCounter = new Counter({ name: 'jointgraph_cache_errors_total', help: 'Cache lookups and writes the shared store failed (a failed lookup is also a miss)', registers: [registry] });
    const hitRatio = () => this.hitRatio;
    if (size) {
      new Gauge({ name: 'jointgraph_cache_size_bytes', help: 'Bytes held by the response cache', registers: [registry], collect() { this.set(size().sizeBytes); } });
      new Gauge({ name: 'jointgraph_cache_entries', help: 'Entries held by the response cache', registers: [registry], collect() { this.set(size().entries); } });
    }
    new Gauge({ name: 'jointgraph_cache_hit_ratio', help: 'Share of cacheable lookups served from the cache', registers: [registry], collect() { this.set(hitRatio()); } });
  }

  hit(): void {
    this.#hits++;
    this.#hitCounter?.inc();
  }

  miss(): void {
    this.#misses++;
    this.#missCounter?.inc();
  }

  error(): void {
    this.#errors++;
    this.#errorCounter?.inc();
  }

  get hitRatio(): number {
    return this.#hits + this.#misses === 0 ? 0 : this.#hits / (this.#hits + this.#misses);
  }

  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, errors: this.#errors, hitRatio: this.hitRatio, ...this.#size?.() };
  }
}
