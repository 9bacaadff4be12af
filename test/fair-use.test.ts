import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS } from './support/authorization.ts';
import { loadSettings } from '../supergraph/config/index.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization(), gateway: { fairUse: { app: { requestsPerMinute: 3, concurrent: 2 }, address: { requestsPerMinute: 60_000, concurrent: 64 } } } });
});
afterAll(() => platform.close());

const ask = (apiKey: string) =>
  platform.gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'x-api-key': apiKey, 'x-jointgraph-purpose': 'fair-use' },
    payload: { query: '{ enterprises(first: 1) { name } }' },
  });

describe('fair use per app', () => {
  it('answers 429 RATE_LIMITED with Retry-After past an app’s requests per minute, without holding back another app', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(APPS.assistance)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await ask(APPS.assistance);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.json().errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', hint: expect.any(String) });
    // The trail records a limited request as such, not as an invalid one.
    expect(platform.authorization!.audit.recent(1)[0]).toMatchObject({ outcome: 'RATE_LIMITED', status: 429, returned: [] });
    // The tax app's own entry in apps.json sets higher limits than the gateway's defaults.
    for (let i = 0; i < 5; i++) expect((await ask(APPS.tax)).statusCode).toBe(200);
  });

  it('answers 429 past an app’s requests in flight', async () => {
    const responses = await Promise.all(Array.from({ length: 3 }, () => ask(APPS.nanhu)));
    const codes = responses.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 200, 429]);
    expect(responses.find((r) => r.statusCode === 429)!.json().errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('fair use without authorization (plain federation)', () => {
  let plain: TestPlatform;
  beforeAll(async () => {
    // The defaults come from the configuration: here its variable for callers known only by address.
    plain = await startTestPlatform({ gateway: { fairUse: loadSettings({ JG_FAIR_USE_ADDRESS_RPM: '3' }).fairUse } });
  });
  afterAll(() => plain.close());

  it('limits each client address as the configuration says, not by a hidden bucket', async () => {
    expect(loadSettings({ JG_FAIR_USE_ADDRESS_RPM: '3' }).fairUse).toEqual({ app: { requestsPerMinute: 60_000, concurrent: 64 }, address: { requestsPerMinute: 3, concurrent: 64 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await plain.gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ __typename }' } })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
