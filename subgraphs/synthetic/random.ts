// Deterministic randomness for the synthetic city: every value is a pure function of
// (seed, stream, index), so any provider can derive an entity without reading another's store.

const STREAMS = new Map<string, number>();

function streamId(stream: string): number {
  let id = STREAMS.get(stream);
  if (id === undefined) {
    id = 0x811c9dc5;
    for (let i = 0; i < stream.length; i++) id = Math.imul(id ^ stream.charCodeAt(i), 0x01000193);
    STREAMS.set(stream, id >>> 0);
  }
  return id >>> 0;
}

/** murmur3's finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks from `[value, weight]` pairs. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  chance(p: number): boolean;
}

export function randomFor(seed: number, stream: string, index: number): Random {
  // mulberry32, seeded from the mixed triple
  let state = fmix32(fmix32(seed ^ streamId(stream)) ^ fmix32(index + 0x9e3779b9));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: (items) => items[int(items.length)] as (typeof items)[number],
    weighted(choices) {
      let total = 0;
      for (const [, w] of choices) total += w;
      let roll = next() * total;
      for (const [value, w] of choices) {
        roll -= w;
        if (roll < 0) return value;
      }
      return (choices[choices.length - 1] as (typeof choices)[number])[0];
    },
    chance: (p) => next() < p,
  };
}

/** A seed-dependent offset, for the bijections that give every entity a unique key. */
export function seedOffset(seed: number, stream: string, modulus: number): number {
  return fmix32(seed ^ streamId(stream)) % modulus;
}
