// Cross-origin access per app: a preflight is granted to origins some app lists; the request
// itself only to the origins of the app that makes it (or the gateway's own origin).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const PORTAL = 'https://credit.qinghe.example';
const preflight = (origin: string) =>
  platform.gateway.inject({ method: 'OPTIONS', url: '/graphql', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' } });
const post = (origin: string, apiKey: string, host = 'localhost:80') =>
  platform.gateway.inject({
    method: 'POST', url: '/graphql',
    headers: { host, origin, 'content-type': 'application/json', 'x-api-key': apiKey, 'x-jointgraph-purpose': 'public-credit-lookup' },
    payload: { documentId: 'sha256:0000000000000000000000000000000000000000000000000000000000000000' },
  });

describe('cross-origin requests', () => {
  it('grants a preflight to a listed origin only', async () => {
    const listed = await preflight(PORTAL);
    expect(listed.statusCode).toBe(204);
    expect(listed.headers['access-control-allow-origin']).toBe(PORTAL);
    expect(String(listed.headers['access-control-allow-headers'])).toContain('x-api-key');
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a request from an origin its app does not list, before anything runs', async () => {
    const wrongApp = await post(PORTAL, APPS.tax);
    expect(wrongApp.statusCode).toBe(403);
    expect(wrongApp.json().errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    const unlisted = await post('https://evil.example', APPS.portal);
    expect(unlisted.statusCode).toBe(403);
    // The trail says why: the origin was refused (not the operation, also a 403).
    expect(platform.authorization!.audit.recent(2).map((r) => [r.appId, r.outcome, r.status])).toEqual([
      ['credit-portal', 'ORIGIN_REFUSED', 403],
      ['tax-inspection', 'ORIGIN_REFUSED', 403],
    ]);
    // From its own origin the portal gets as far as its document (not registered here) and may read the answer.
    const own = await post(PORTAL, APPS.portal);
    expect(own.json().errors[0].extensions.code).toBe('OPERATION_NOT_REGISTERED');
    expect(own.headers['access-control-allow-origin']).toBe(PORTAL);
    // The gateway's own origin (GraphiQL) is always fine.
    expect((await post('http://localhost:80', APPS.tax)).json().errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
