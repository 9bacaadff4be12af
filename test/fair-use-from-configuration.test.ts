// Fair use as the configuration file sets it, for plain federation (authorization off), where every
// caller of one address shares one bucket: raised, a load generator is not refused at the default
// of 60,000 requests a minute; lowered, a caller gets 429 RATE_LIMITED with Retry-After.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../supergraph/config/index.ts';
import { DEFAULT_FAIR_USE } from '../supergraph/gateway/fair-use.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

const dir = mkdtempSync(join(tmpdir(), 'jg-fair-use-'));
const started: TestPlatform[] = [];
afterAll(() => Promise.all(started.map((p) => p.close())));

/** A plain-federation gateway whose fair use comes from a YAML configuration file. */
async function plainGatewayWith(name: string, fairUseYaml: string): Promise<TestPlatform> {
  const file = join(dir, name);
  writeFileSync(file, `authorization: { mode: off }\nfairUse: ${fairUseYaml}\n`);
  const settings = loadConfiguration(file, {});
  const platform = await startTestPlatform({ gateway: { fairUse: settings.fairUse } });
  started.push(platform);
  return platform;
}

const typename = (platform: TestPlatform) =>
  platform.gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ __typename }' } });

describe('fair use from the configuration file, without authorization', () => {
  it('serves one address past the default 60,000 requests a minute when the file raises the limit', async () => {
    const platform = await plainGatewayWith('raised.yaml', '{ perAddressRequestsPerMinute: 1000000, perAddressConcurrent: 1000 }');
    const beyondDefault = DEFAULT_FAIR_USE.address.requestsPerMinute + 100;
    const refused: number[] = [];
    // In waves below the in-flight limit, all from the one address inject() uses.
    for (let sent = 0; sent < beyondDefault; sent += 500) {
      const wave = await Promise.all(Array.from({ length: Math.min(500, beyondDefault - sent) }, () => typename(platform)));
      refused.push(...wave.filter((r) => r.statusCode !== 200).map((r) => r.statusCode));
    }
    expect(refused).toEqual([]);
    const last = await typename(platform);
    expect(last.statusCode).toBe(200);
    expect(last.headers['x-ratelimit-limit']).toBe('1000000');
  }, 120_000);

  it('answers 429 RATE_LIMITED with Retry-After past a small limit the file sets', async () => {
    const platform = await plainGatewayWith('small.yaml', '{ perAddressRequestsPerMinute: 2 }');
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await typename(platform));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    const limited = responses[2]!;
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    const error = limited.json().errors[0];
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', hint: expect.any(String) });
    expect(error.message).toContain('from this client address');
  });

  it('refuses a limit the schema does not allow, naming the file and the setting', () => {
    const file = join(dir, 'zero.yaml');
    writeFileSync(file, 'fairUse: { perAddressRequestsPerMinute: 0 }\n');
    expect(() => loadConfiguration(file, {})).toThrow(/zero\.yaml: fairUse\.perAddressRequestsPerMinute: expected a whole number from 1 to 100000000, got 0/);
  });
});
