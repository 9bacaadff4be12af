import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

const FAN_OUT = `query FanOut($n: Int!) {
  enterprises(first: $n) {
    creditCode name taxCreditRating insuredEmployees
    legalRepresentative { name gender }
  }
}`;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

async function requestsPerProvider(n: number): Promise<Record<string, number>> {
  platform.log.clear();
  const result = await platform.query(FAN_OUT, { n });
  expect(result.errors).toBeUndefined();
  expect((result.data?.enterprises as unknown[]).length).toBe(n);
  const counts: Record<string, number> = {};
  for (const entry of platform.log.dataRequests()) counts[entry.provider] = (counts[entry.provider] ?? 0) + 1;
  return counts;
}

describe('batching', () => {
  it('costs the same number of subgraph requests for 10 and for 1000 enterprises', async () => {
    const ten = await requestsPerProvider(10);
    const thousand = await requestsPerProvider(1000);
    expect(thousand).toEqual(ten);
    // one plan level per provider: the list, then one entity batch each
    expect(thousand).toEqual({ enterprise: 1, population: 1, tax: 1, 'social-insurance': 1 });
  });

  it('sends every representative of the level in one request', async () => {
    platform.log.clear();
    const { data } = await platform.query('{ enterprises(first: 1000) { legalRepresentative { id name } } }');
    const ids = new Set((data!.enterprises as { legalRepresentative: { id: string } }[]).map((e) => e.legalRepresentative.id));
    const requests = platform.log.dataRequests('population');
    expect(requests).toHaveLength(1);
    const representations = (requests[0]!.variables!.representations ?? []) as { id: string }[];
    expect(new Set(representations.map((r) => r.id))).toEqual(ids);
    expect(ids.size).toBeGreaterThan(500);
  });
});
