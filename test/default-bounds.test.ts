// The bounds a caller meets when the operator sets none, as docs/security.md's "Limits" section
// states them; the refusals themselves are met in operation-limits, fair-use and provider-client.

import { describe, expect, it } from 'vitest';
import { MAX_VALUE_DIGESTS } from '../supergraph/audit/received-values.ts';
import { DEFAULT_BREAKER } from '../supergraph/execution/index.ts';
import { DEFAULT_RETRY_BUDGET } from '../supergraph/execution/retry-budget.ts';
import { loadSettings } from '../supergraph/config/index.ts';
import { DEFAULT_FAIR_USE } from '../supergraph/gateway/fair-use.ts';
import { DEFAULT_LIMITS } from '../supergraph/gateway/operation-limits.ts';

describe('the default bounds', () => {
  it('hold an operation to 1,000 fields, 20 root fields, 50 variables, depth 15, 30 aliases, 50 directives and a cost of 200,000', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxFields: 1_000, maxRootFields: 20, maxVariables: 50, maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxCost: 200_000 });
  });

  it('let an app, or a client address when authorization is off, send 60,000 requests a minute with 64 in flight, as the configuration does', () => {
    const fair = { requestsPerMinute: 60_000, concurrent: 64 };
    expect(DEFAULT_FAIR_USE).toEqual({ app: fair, address: fair });
    expect(loadSettings({}).fairUse).toEqual(DEFAULT_FAIR_USE);
  });

  it('stop asking a provider for 5 s once half of at least 10 recent calls failed, or once it answered nothing for 1 s', () => {
    expect(DEFAULT_BREAKER).toMatchObject({ errorPercentage: 50, volumeThreshold: 10, resetMs: 5_000, stallMs: 1_000 });
  });

  it('let retries add at most 20 % of the calls, plus 1 a second', () => {
    expect(DEFAULT_RETRY_BUDGET).toMatchObject({ ratio: 0.2, minPerSecond: 1 });
  });

  it('name at most 1,000 returned values in one access record', () => {
    expect(MAX_VALUE_DIGESTS).toBe(1_000);
  });
});
