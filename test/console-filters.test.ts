// The console's two orderings and filters that are its own rather than the admin endpoint's: a
// party's inbox order, and the audit search's filters over the newest records.

import { describe, expect, it } from 'vitest';
import { matchesFilters, type AccessRecord, type AuditFilters } from '../console/src/pages/access-record.ts';
import { awaitingAnswer, type Application } from '../console/src/pages/application.ts';

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

describe('the audit search', () => {
  const record: AccessRecord = {
    seq: 7, at: '2026-12-04T09:30:00.000Z', appId: 'tax-inspection', department: 'Taxation Bureau', purpose: 'tax-inspection/CASE-7',
    returned: ['Enterprise.name'], denied: ['Enterprise.taxArrears'], providers: ['enterprise'], outcome: 'OK', status: 200,
  };
  const none: AuditFilters = { field: '', app: '', purpose: '', provider: '', from: '', to: '', last: '200' };

  it('keeps a record that passes every filter set, and drops it when one fails', () => {
    expect(matchesFilters(record, none)).toBe(true);
    expect(matchesFilters(record, { ...none, field: 'taxarrears', purpose: 'case-7', provider: 'enterprise', from: '2026-12-04', to: '2026-12-04' })).toBe(true);
    expect(matchesFilters(record, { ...none, field: 'Person.name' })).toBe(false);
    expect(matchesFilters(record, { ...none, purpose: 'CASE-8' })).toBe(false);
    expect(matchesFilters(record, { ...none, provider: 'tax' })).toBe(false);
    expect(matchesFilters(record, { ...none, from: '2026-12-05' })).toBe(false);
    expect(matchesFilters(record, { ...none, to: '2026-12-03' })).toBe(false);
  });
});
