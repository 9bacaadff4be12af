import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExamples } from './support/readme-examples.ts';
import { DEFAULT_CITY, startTestPlatform, type TestPlatform } from './support/platform.ts';

const examples = readmeExamples();

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ city: DEFAULT_CITY });
});
afterAll(() => platform.close());

describe('the README examples', () => {
  it('include a query of each kind', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((e) => [e.title, e] as const))('%s: the gateway returns the output shown', async (_, example) => {
    expect(await platform.query(example.query)).toEqual(example.output);
  });
});
