import type { FastifyInstance } from 'fastify';
import { utimesSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeFile, type RunningProvider } from '../subgraphs/index.ts';
import { qualityReport } from '../supergraph/quality/quality-report.ts';
import { startWithFaultyTax, type FaultyProxy, type FaultyTaxPlatform } from './support/faulty-proxy.ts';
import { SMALL_CITY } from './support/platform.ts';

// Taxation is made slow and failing on purpose; civil affairs' store is made stale on purpose.
let platform: FaultyTaxPlatform;
let providers: RunningProvider[];
let taxPath: FaultyProxy;
let gateway: FastifyInstance;
let dataDir: string;

beforeAll(async () => {
  platform = await startWithFaultyTax(300);
  ({ providers, taxPath, gateway, dataDir } = platform);
});
afterAll(() => platform.close());
beforeEach(() => {
  taxPath.fault = 'none';
});

async function query(q: string, headers: Record<string, string> = {}) {
  return (await gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query: q } })).json();
}

describe('measured service quality', () => {
  it('counts errors and timeouts per provider, and latency percentiles', async () => {
    for (let i = 0; i < 4; i++) await query('{ enterprises(first: 2) { taxCreditRating } }');
    taxPath.fault = 'graphql-errors';
    await query('{ enterprises(first: 2) { taxCreditRating } }');
    taxPath.fault = 'hang';
    await query('{ enterprises(first: 2) { taxCreditRating } }');
    const tax = gateway.jointgraph.metrics.provider('tax');
    expect(tax).toMatchObject({ requests: 6, errors: 2, timeouts: 1 });
    expect(tax.latencyMs.p50).toBeGreaterThan(0);
    expect(tax.latencyMs.p99).toBeGreaterThanOrEqual(300); // the timed-out call
    const metrics = (await gateway.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('jointgraph_subgraph_request_duration_seconds_count{subgraph="tax",outcome="SUBGRAPH_TIMEOUT"} 1');
    expect(metrics).toContain('jointgraph_subgraph_request_duration_seconds_count{subgraph="tax",outcome="error"} 1');
  });

  it('measures availability from health probes', async () => {
    await gateway.inject({ url: '/health' });
    taxPath.fault = 'hang';
    await gateway.inject({ url: '/health' });
    expect(gateway.jointgraph.metrics.provider('tax')).toMatchObject({ probes: 2, probesUp: 1 });
    expect(gateway.jointgraph.metrics.provider('population')).toMatchObject({ probes: 2, probesUp: 2 });
  });

  it('observes completeness as the null rate of annotated fields', async () => {
    await query('{ people(first: 200) { maritalStatus } }');
    const stats = gateway.jointgraph.metrics.field('Person.maritalStatus')!;
    expect(stats.samples).toBe(200);
    expect(stats.nulls).toBe(0);
    const civil = providers.find((p) => p.name === 'civil-affairs')!;
    const ids = (await query('{ people(first: 10, offset: 300) { id } }')).data.people.map((p: { id: string }) => p.id);
    civil.db.prepare(`DELETE FROM marital_status WHERE person_id IN (${ids.map(() => '?').join(',')})`).run(...ids);
    await query('{ people(first: 10, offset: 300) { maritalStatus } }');
    expect(gateway.jointgraph.metrics.field('Person.maritalStatus')).toMatchObject({ samples: 210, nulls: 10 });
  });

  it('flags values older than their declared update cycle', async () => {
    const result = await query('{ enterprises(first: 3) { taxCreditRating taxRatedOn } }', { 'x-jointgraph-lineage': 'true' });
    // Ratings are set once a year; the evaluation is older than a year for some, never older than a year plus the cycle.
    for (const stale of result.extensions.lineage.stale) {
      expect(stale).toMatchObject({ coordinate: 'Enterprise.taxCreditRating', updateCycle: 'YEARLY' });
      expect(stale.ageSeconds).toBeGreaterThan(366 * 86_400);
    }
    const rated = result.data.enterprises.map((e: { taxRatedOn: string }) => Date.parse(e.taxRatedOn));
    const expected = rated.filter((t: number) => Date.now() - t > 366 * 86_400 * 1000).length;
    expect(result.extensions.lineage.stale).toHaveLength(expected);
  });
});

describe('the quality report', () => {
  it('shows declared against measured, with a stale source and a failing service called out', async () => {
    const civil = storeFile('civil-affairs', { dataDir, city: SMALL_CITY });
    const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000);
    for (const file of [civil, `${civil}-wal`]) {
      try {
        utimesSync(file, fortyDaysAgo, fortyDaysAgo);
      } catch {
        // no write-ahead log yet
      }
    }
    // Providers re-read their store's time at most once a second, by Date.now(): the clock moved on, not waited for.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1_100 });
    try {
      await query('{ people(first: 5) { maritalStatus } }');
    } finally {
      vi.useRealTimers();
    }
    const { metrics, catalog, declarations } = gateway.jointgraph;
    const report = qualityReport(catalog, declarations, metrics, []);

    const civilAffairs = report.providers.find((p) => p.name === 'civil-affairs')!;
    expect(civilAffairs.owner).toBe('Civil Affairs Bureau');
    expect(civilAffairs.source).toMatchObject({ fastestDeclaredCycle: 'DAILY', withinCycle: false });
    expect(civilAffairs.source.ageSeconds).toBeGreaterThan(39 * 86_400);
    const tax = report.providers.find((p) => p.name === 'tax')!;
    expect(tax.service.errorRate).toBeGreaterThan(0);
    expect(tax.service.timeouts).toBe(1);
    expect(report.providers.find((p) => p.name === 'population')!.service).toMatchObject({ errorRate: 0, availability: 1 });

    const marital = report.fields.find((f) => f.coordinate === 'Person.maritalStatus')!;
    expect(marital.declared).toMatchObject({ updateCycle: 'DAILY', completeness: 0.99 });
    expect(marital.measured.samples).toBe(215);
    expect(marital.measured.nullRate).toBeCloseTo(10 / 215, 5);
    expect(marital.measured.completenessMet).toBe(false); // 95.3% observed against 99% declared
    expect(marital.measured.staleValues).toBeGreaterThanOrEqual(5);
    expect(report.responsibility.provider).toContain('completeness');
    expect(report.responsibility.operator[0]).toMatch(/availability/);
  });
});

describe('declared quality', () => {
  it('takes a type’s declaration only for the fields of the subgraph that declared it', async () => {
    const { declaredQuality } = await import('../supergraph/quality/declared-quality.ts');
    const { catalog, declarations } = gateway.jointgraph;
    expect(declaredQuality(catalog, declarations, 'Person.name')?.owner).toBe('Public Security Bureau');
    expect(declaredQuality(catalog, declarations, 'Person.maritalStatus')?.owner).toBe('Civil Affairs Bureau');
    expect(declaredQuality(catalog, declarations, 'Person.legalRepresentativeOf')).toBeUndefined();
    expect(declaredQuality(catalog, declarations, 'Enterprise.taxCreditRating')).toMatchObject({ owner: 'Taxation Bureau', asOfField: 'taxRatedOn' });
  });
});
