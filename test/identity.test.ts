import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const SECRET = 'test-hs256-secret-of-enough-length-0123456789';
const ISSUER = 'https://idp.qinghe.example';
const AUDIENCE = 'jointgraph';
const QUERY = '{ enterprises(first: 1) { name } }';

let platform: TestPlatform;
let jwksPlatform: TestPlatform;
let rsa: { privateKey: CryptoKey };
let jwksServer: Server;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  rsa = { privateKey };
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const jwksFile = join(tempDataDir(), 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(jwks));
  platform = await startTestPlatform({ authorization: sampleAuthorization({ jwtSecret: SECRET, jwksFile }) });
  jwksServer = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  jwksPlatform = await startTestPlatform({ dataDir: platform.dataDir, authorization: sampleAuthorization({ jwksUrl }) });
});
afterAll(async () => {
  await Promise.all([platform.close(), jwksPlatform.close()]);
  jwksServer.close();
});

async function request(headers: Record<string, string>, target = platform) {
  const response = await target.gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query: QUERY } });
  return { status: response.statusCode, body: response.json() };
}

function hs256(claims: Record<string, unknown>, { issuer = ISSUER, audience = AUDIENCE, expires = '5m', secret = SECRET } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime(expires).sign(new TextEncoder().encode(secret));
}

function rs256(claims: Record<string, unknown>) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(rsa.privateKey);
}

const PURPOSE = { 'x-jointgraph-purpose': 'tax-inspection/CASE-9' };

describe('requester identity', () => {
  it('accepts a registered API key, in either header form', async () => {
    expect((await request({ 'x-api-key': APPS.tax, ...PURPOSE })).status).toBe(200);
    expect((await request({ authorization: `ApiKey ${APPS.tax}`, ...PURPOSE })).status).toBe(200);
  });

  it('accepts an HS256 and an RS256 (JWKS file or URL) token for a registered app', async () => {
    expect((await request({ authorization: `Bearer ${await hs256({ sub: 'tax-inspection' })}`, ...PURPOSE })).body.errors).toBeUndefined();
    expect((await request({ authorization: `Bearer ${await rs256({ sub: 'tax-inspection' })}`, ...PURPOSE })).body.errors).toBeUndefined();
    expect((await request({ authorization: `Bearer ${await rs256({ sub: 'tax-inspection' })}`, ...PURPOSE }, jwksPlatform)).body.errors).toBeUndefined();
  });

  it('answers 401 without saying why: no credentials, unknown key, unknown app, bad or expired token', async () => {
    const failures: Record<string, string>[] = [
      {},
      { 'x-api-key': 'jg-demo-nonexistent' },
      { authorization: `Bearer ${await hs256({ sub: 'no-such-app' })}` },
      { authorization: `Bearer ${await hs256({ sub: 'tax-inspection' }, { secret: 'another-secret-of-enough-length-0123456789' })}` },
      { authorization: `Bearer ${await hs256({ sub: 'tax-inspection' }, { expires: '-1m' })}` },
      { authorization: `Bearer ${await hs256({ sub: 'tax-inspection' }, { audience: 'someone-else' })}` },
      { authorization: `Bearer ${await hs256({ sub: 'tax-inspection' }, { issuer: 'https://evil.example' })}` },
      { authorization: 'Bearer not.a.jwt' },
    ];
    const bodies = new Set<string>();
    for (const headers of failures) {
      const { status, body } = await request({ ...headers, ...PURPOSE });
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      bodies.add(JSON.stringify(body));
    }
    expect(bodies.size).toBe(1);
  });

  it('refuses a data request that states no purpose', async () => {
    const { status, body } = await request({ 'x-api-key': APPS.tax });
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({ message: expect.stringContaining('purpose'), extensions: { code: 'PURPOSE_REQUIRED', hint: expect.any(String) } });
  });

  it('takes the purpose from a token claim', async () => {
    const token = await hs256({ sub: 'tax-inspection', purpose: 'tax-inspection/CASE-10' });
    const { status } = await request({ authorization: `Bearer ${token}` });
    expect(status).toBe(200);
    expect(platform.authorization!.audit.recent(1)[0]).toMatchObject({ appId: 'tax-inspection', purpose: 'tax-inspection/CASE-10' });
  });
});
