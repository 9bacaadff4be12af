import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROVIDERS, type ProviderDefinition } from '../subgraphs/index.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

// Every provider on the other server library: Apollo Server ⇄ mercurius.
const FLIPPED: ProviderDefinition[] = SAMPLE_PROVIDERS.map((p) => ({ ...p, server: p.server === 'apollo' ? 'mercurius' : 'apollo' }));

const QUERY = `{
  enterprises(first: 30, offset: 7) {
    creditCode name taxCreditRating annualTax { year amount } insuredEmployees
    legalRepresentative { id name maritalStatus subsistenceAllowances { monthlyAmount } insuranceRecords { kind employer { name } } }
  }
}`;

let original: TestPlatform;
let flipped: TestPlatform;
beforeAll(async () => {
  [original, flipped] = await Promise.all([startTestPlatform(), startTestPlatform({ providers: FLIPPED })]);
});
afterAll(() => Promise.all([original.close(), flipped.close()]));

describe('the gateway does not care which server a provider uses', () => {
  it('serves the samples with both libraries', () => {
    expect(new Set(SAMPLE_PROVIDERS.map((p) => p.server))).toEqual(new Set(['apollo', 'mercurius']));
  });

  it('returns the same answer when every provider switches library', async () => {
    const a = await original.query(QUERY);
    const b = await flipped.query(QUERY);
    expect(a.errors).toBeUndefined();
    expect(b).toEqual(a);
  });

  it('composes the same supergraph from either library’s _service { sdl }', () => {
    // Same definitions, whatever order the libraries print them in; only the URLs differ.
    const definitions = (sdl: string) => parse(sdl.replace(/url: "http[^"]*"/g, 'url: ""')).definitions.map((d) => print(d)).sort();
    expect(definitions(flipped.supergraphSdl)).toEqual(definitions(original.supergraphSdl));
  });
});
