// A replaced runtime (after a publication or a relabelling) closes once the requests on it are done,
// and within a bound when one of them never finishes: a stuck request cannot keep the old schema's
// executor, its provider connections and its caches alive, nor hold up the gateway's close.

import { describe, expect, it } from 'vitest';
import { holding } from '../supergraph/gateway/gateway-runtime.ts';

function runtime(drainMs: number) {
  let closes = 0;
  const held = holding(async () => {
    closes += 1;
  }, drainMs);
  return { ...held, closes: () => closes };
}

describe('a retired runtime', () => {
  it('closes at once when no request holds it', async () => {
    const r = runtime(60_000);
    await r.retire();
    expect(r.closes()).toBe(1);
  });

  it('waits for the requests holding it, and closes once the last is done', async () => {
    const r = runtime(60_000);
    const first = r.hold();
    const second = r.hold();
    const retired = r.retire();
    first();
    first(); // a second release of the same hold counts once
    await Promise.resolve();
    expect(r.closes()).toBe(0);
    second();
    await retired;
    expect(r.closes()).toBe(1);
  });

  it('closes anyway once the drain bound has passed with a request still holding it, and only once', async () => {
    const r = runtime(20);
    const stuck = r.hold();
    // Without the bound this never resolves and the test fails on its timeout.
    await r.retire();
    expect(r.closes()).toBe(1);
    stuck();
    await Promise.resolve();
    expect(r.closes()).toBe(1);
  });
});
