// The answer's size is bounded: past the bound nothing of it leaves, the requester gets a coded
// error, and the audit record says nothing was released.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, asApp } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization(), gateway: { maxResponseBytes: 4_096, maxProviderResponseBytes: 65_536 } });
});
afterAll(() => platform.close());

const ask = () => asApp(platform, APPS.tax, 'tax-inspection/CASE-1');

describe('the response-size bound', () => {
  it('answers RESPONSE_TOO_LARGE instead of an answer past the bound, and records nothing as released', async () => {
    const small = await ask()('{ enterprises(first: 2) { name } }');
    expect(small.errors).toBeUndefined();
    const large = await ask()('{ enterprises(first: 100) { name creditCode status } }');
    expect(large.status).toBe(400);
    expect(large.data).toBeUndefined();
    expect(large.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RESPONSE_TOO_LARGE', maxBytes: 4_096 }) })]);
    const [record] = platform.authorization!.audit.recent(1);
    expect(record).toMatchObject({ appId: 'tax-inspection', returned: [], entities: 0, status: 400 });
  });

  it('holds each provider to its bound: a larger provider answer is cut off and named', async () => {
    // Every enterprise with its business scope is past 64 KiB at the provider.
    const result = await ask()('{ enterprises(first: 1200) { creditCode name businessScope } }');
    const codes = result.errors?.map((e) => e.extensions?.code);
    expect(codes).toContain('SUBGRAPH_RESPONSE_TOO_LARGE');
  });
});
