import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const RATINGS = `{ enterprises(first: 3) { creditCode taxCreditRating legalRepresentative { id name } } }`;

type Enterprises = { creditCode: string; taxCreditRating: string; legalRepresentative: { id: string; name: string } }[];

describe('isolation and freshness', () => {
  it('shows a change in a provider store on the very next request', async () => {
    const before = (await platform.query(RATINGS)).data?.enterprises as Enterprises;
    const target = before[1]!;
    const next = target.taxCreditRating === 'D' ? 'A' : 'D';
    platform.providers.find((p) => p.name === 'tax')!.db.prepare('UPDATE taxpayer SET credit_rating = ? WHERE credit_code = ?').run(next, target.creditCode);
    const population = platform.providers.find((p) => p.name === 'population')!.db;
    population.prepare('UPDATE person SET name = ? WHERE id = ?').run('更名测试', target.legalRepresentative.id);

    const after = (await platform.query(RATINGS)).data?.enterprises as Enterprises;
    expect(after[1]!.taxCreditRating).toBe(next);
    expect(after[1]!.legalRepresentative.name).toBe('更名测试');
    expect(after[0]).toEqual(before[0]);
  });

  it('asks the providers again for every request, even for an identical query', async () => {
    for (let round = 0; round < 2; round++) {
      platform.log.clear();
      await platform.query(RATINGS);
      expect(platform.log.dataRequests().map((e) => e.provider).sort()).toEqual(['enterprise', 'population', 'tax']);
    }
  });

  it('never merges the provider requests of concurrent gateway requests', async () => {
    platform.log.clear();
    await Promise.all(Array.from({ length: 4 }, () => platform.query(RATINGS)));
    expect(platform.log.dataRequests('tax')).toHaveLength(4);
  });

  it('keeps concurrent requests apart: each gets exactly its own entities', async () => {
    const queries = Array.from({ length: 8 }, (_, k) => `{ enterprises(first: 2, offset: ${k * 2}) { creditCode taxCreditRating legalRepresentative { id } } }`);
    const alone = [];
    for (const q of queries) alone.push(await platform.query(q));
    const together = await Promise.all(queries.map((q) => platform.query(q)));
    expect(together).toEqual(alone);
  });
});
