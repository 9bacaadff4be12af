// What the console works out itself rather than the admin endpoint: a party's inbox order, the
// access record search's filters as the endpoint's arguments, and how quality figures read.

import { describe, expect, it } from 'vitest';
import { NO_FILTERS, searchVariables } from '../console/src/pages/access-record.ts';
import { awaitingAnswer, type Application } from '../console/src/pages/application.ts';
import { age, ofCycle, percent } from '../console/src/quality-figures.ts';

const application = (id: string, replyDeadline: string, parties: [string, string][], status = 'PENDING'): Application => ({
  id, appId: 'tax-inspection', purpose: 'tax-inspection', basis: 'b', coordinates: ['Enterprise.taxArrears'], selector: null, rowScope: 'ALL',
  expiresAt: '2099-01-01T00:00:00Z', filedAt: '2026-01-01T00:00:00Z', replyDeadline, status, revokeReason: null,
  parties: parties.map(([party, decision]) => ({ party, decision, reason: null, answeredBy: null })),
});

describe('a party’s inbox', () => {
  const applications = [
    application('later', '2026-03-01T00:00:00Z', [['tax', 'PENDING'], ['operator', 'PENDING']]),
    application('sooner', '2026-02-01T00:00:00Z', [['tax', 'PENDING'], ['operator', 'APPROVED']]),
    application('overdue', '2026-02-15T00:00:00Z', [['tax', 'PENDING'], ['operator', 'PENDING']]),
    application('answered', '2026-01-15T00:00:00Z', [['tax', 'APPROVED'], ['operator', 'PENDING']]),
    application('refused', '2026-01-10T00:00:00Z', [['tax', 'PENDING'], ['operator', 'REFUSED']], 'REFUSED'),
  ];

  it('holds what waits for the party’s own answer, overdue first, then the nearest deadline', () => {
    expect(awaitingAnswer(applications, new Set(['overdue']), 'tax').map((a) => a.id)).toEqual(['overdue', 'sooner', 'later']);
    expect(awaitingAnswer(applications, new Set(['overdue']), 'operator').map((a) => a.id)).toEqual(['overdue', 'answered', 'later']);
  });
});

describe('the access record search', () => {
  it('sends each filter set, trimmed, as the endpoint’s argument, the days as the instants they start and end, and the page’s cursor', () => {
    expect(searchVariables(NO_FILTERS, null)).toEqual({ app: null, purpose: null, coordinate: null, provider: null, requestId: null, from: null, to: null, beforeCursor: null, last: 20 });
    const filters = { ...NO_FILTERS, coordinate: ' Enterprise.status ', app: 'tax-inspection', purpose: 'tax-inspection/CASE-7', provider: 'enterprise', requestId: 'req-1', from: '2026-12-04', to: '2026-12-05', last: '5' };
    expect(searchVariables(filters, '["2026-12-04T10:00:00.000Z","a",41]')).toEqual({
      app: 'tax-inspection', purpose: 'tax-inspection/CASE-7', coordinate: 'Enterprise.status', provider: 'enterprise', requestId: 'req-1',
      from: '2026-12-04T00:00:00.000Z', to: '2026-12-05T23:59:59.999Z', beforeCursor: '["2026-12-04T10:00:00.000Z","a",41]', last: 5,
    });
  });

  it('keeps the page size within what the endpoint returns', () => {
    expect(searchVariables({ ...NO_FILTERS, last: '0' }, null).last).toBe(20);
    expect(searchVariables({ ...NO_FILTERS, last: '-3' }, null).last).toBe(1);
    expect(searchVariables({ ...NO_FILTERS, last: '5000' }, null).last).toBe(1000);
  });
});

describe('quality figures', () => {
  it('reads an age in its largest whole unit, a share as a percentage, and an age against its declared cycle', () => {
    expect([age(0), age(59), age(61), age(7_200), age(3 * 86_400 + 5), age(null)]).toEqual(['0s', '59s', '1min', '2h', '3d', '—']);
    expect([percent(0.9876), percent(1), percent(null)]).toEqual(['98.8%', '100%', '—']);
    expect(ofCycle(43_200, 'DAILY')).toBe(0.5);
    expect(ofCycle(366 * 86_400, 'YEARLY')).toBe(1);
    expect(ofCycle(null, 'DAILY')).toBeNull();
    expect(ofCycle(60, 'FORTNIGHTLY')).toBeNull();
  });
});
