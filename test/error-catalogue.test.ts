import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../supergraph/errors/index.ts';

const errorsDoc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documented = [...errorsDoc.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => ({ code: m[1]!, status: m[2]!.trim() }));

describe('the error catalogue', () => {
  it('is documented in docs/errors.md, code for code', () => {
    expect(documented.map((d) => d.code).sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('documents the HTTP status each code implies', () => {
    for (const { code, status } of documented) {
      const spec = ERRORS[code as keyof typeof ERRORS];
      if (spec.status >= 500 && status.startsWith('exit')) continue; // CLI-only errors
      expect(status.startsWith(String(spec.status)), `${code}: docs/errors.md says ${status}`).toBe(true);
    }
  });

  it('gives every code a hint that says what to do', () => {
    for (const [code, spec] of Object.entries(ERRORS)) expect(spec.hint.length, code).toBeGreaterThan(20);
  });
});
