// Deep equality for answers read through autocannon, which appends each body chunk to a string
// (`req.body += chunk`): a multi-byte character split across two chunks arrives as a run of
// U+FFFD. Such a run stands for exactly one character of the expected text; nothing else is
// forgiven, and the structure of the JSON (ASCII) is never affected.

const REPLACEMENT_RUN = /\uFFFD+/;

/** `received` is `expected` with some single characters turned into runs of U+FFFD. */
export function sameTextBarSplits(received: string, expected: string): boolean {
  if (received === expected) return true;
  const parts = received.split(REPLACEMENT_RUN);
  let at = 0;
  for (const [i, part] of parts.entries()) {
    if (!expected.startsWith(part, at)) return false;
    at += part.length + (i < parts.length - 1 ? 1 : 0);
  }
  return at === expected.length;
}

export function splitTolerantEqual(received: unknown, expected: unknown): boolean {
  if (typeof received === 'string' && typeof expected === 'string') return sameTextBarSplits(received, expected);
  if (received === null || expected === null || typeof received !== 'object' || typeof expected !== 'object') return received === expected;
  if (Array.isArray(received) !== Array.isArray(expected)) return false;
  const keys = Object.keys(received as object);
  if (keys.length !== Object.keys(expected as object).length) return false;
  return keys.every((k) => Object.hasOwn(expected as object, k) && splitTolerantEqual((received as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
}
