import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { parseAppEntry } from '../supergraph/identity/app-registry.ts';
import { createAuthenticator, parseAppRegistry, readAppRegistry } from '../supergraph/identity/index.ts';
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

/** A token with exactly the times given (seconds from now), none added. */
function timed(times: { iat?: number; nbf?: number; exp?: number }, claims: Record<string, unknown> = { sub: 'tax-inspection' }) {
  const now = Math.floor(Date.now() / 1000);
  const at = Object.fromEntries(Object.entries(times).map(([claim, offset]) => [claim, now + offset]));
  return new SignJWT({ ...claims, ...at }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).sign(new TextEncoder().encode(SECRET));
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

  it('refuses, with the same 401, a token without exp, living longer than the maximum, or not valid yet', async () => {
    const unauthenticated = JSON.stringify((await request({ ...PURPOSE })).body);
    const refused = {
      'no exp': await timed({ iat: 0 }),
      'exp − iat past 3600 s': await timed({ iat: 0, exp: 3_601 + 60 }),
      'exp − now past 3600 s, no iat': await timed({ exp: 3_700 }),
      'nbf in the future': await timed({ iat: 0, nbf: 120, exp: 600 }),
      'iat in the future': await timed({ iat: 120, exp: 600 }),
    };
    const answers: Record<string, string> = {};
    for (const [why, token] of Object.entries(refused)) {
      const { status, body } = await request({ authorization: `Bearer ${token}`, ...PURPOSE });
      answers[why] = `${status} ${JSON.stringify(body) === unauthenticated ? 'same body' : 'another body'}`;
    }
    expect(answers).toEqual(Object.fromEntries(Object.keys(refused).map((why) => [why, '401 same body'])));
  });

  it('accepts a token within the maximum lifetime and the clock tolerance, with or without iat', async () => {
    const accepted = [await timed({ iat: 0, exp: 3_600 }), await timed({ exp: 3_500 }), await timed({ iat: 20, nbf: 20, exp: 600 })];
    for (const token of accepted) expect((await request({ authorization: `Bearer ${token}`, ...PURPOSE })).status).toBe(200);
  });

  it('takes the maximum token lifetime from JG_JWT_MAX_LIFETIME_S', async () => {
    expect(loadSettings({}).jwtMaxLifetimeS).toBe(3_600);
    expect(loadSettings({ JG_JWT_MAX_LIFETIME_S: '600' }).jwtMaxLifetimeS).toBe(600);
    for (const bad of ['0', '10', '90000', 'an hour']) expect(() => loadSettings({ JG_JWT_MAX_LIFETIME_S: bad })).toThrow(ConfigError);
    const registry = readAppRegistry(new URL('../supergraph/apps.json', import.meta.url).pathname);
    const authenticate = createAuthenticator(registry, { hs256Secret: SECRET, maxLifetimeS: 600 });
    const reasons: string[] = [];
    const bearer = async (token: string) => authenticate({ authorization: `Bearer ${token}` }, (reason) => reasons.push(reason));
    expect(await bearer(await timed({ iat: 0, exp: 600 }))).not.toBeNull();
    expect(await bearer(await timed({ iat: 0, exp: 601 }))).toBeNull();
    expect(reasons).toEqual([expect.stringContaining('lifetime')]);
  });

  it('binds the purpose to the claim: the header may narrow it to a case under it, never replace it', async () => {
    const token = await hs256({ sub: 'tax-inspection', purpose: 'tax-inspection' });
    const narrowed = await request({ authorization: `Bearer ${token}`, 'x-jointgraph-purpose': 'tax-inspection/CASE-3' });
    expect(narrowed.status).toBe(200);
    expect(platform.authorization!.audit.recent(1)[0]).toMatchObject({ appId: 'tax-inspection', purpose: 'tax-inspection/CASE-3' });
    const ofCase = await hs256({ sub: 'tax-inspection', purpose: 'tax-inspection/CASE-3' });
    for (const [claimed, header] of [[token, 'social-assistance'], [token, 'tax-inspection-other/CASE-3'], [ofCase, 'tax-inspection'], [ofCase, 'tax-inspection/CASE-4']] as const) {
      const { status, body } = await request({ authorization: `Bearer ${claimed}`, 'x-jointgraph-purpose': header });
      expect(status, header).toBe(403);
      expect(body.errors[0], header).toMatchObject({ extensions: { code: 'PURPOSE_NOT_PERMITTED', hint: expect.any(String) } });
    }
    const escape = await request({ authorization: `Bearer ${token}`, 'x-jointgraph-purpose': 'tax-inspection/../social-assistance' });
    expect(escape.status).toBe(400);
    expect(escape.body.errors[0].extensions.code).toBe('PURPOSE_INVALID');
  });

  it('refuses a token whose purpose claim is not a string, and refuses a malformed claim', async () => {
    const listed = await hs256({ sub: 'tax-inspection', purpose: ['tax-inspection'] });
    expect((await request({ authorization: `Bearer ${listed}`, ...PURPOSE })).status).toBe(401);
    const malformed = await hs256({ sub: 'tax-inspection', purpose: 'tax inspection' });
    const { status, body } = await request({ authorization: `Bearer ${malformed}`, ...PURPOSE });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('PURPOSE_INVALID');
  });
});

describe('the app registry file', () => {
  const SAMPLE = JSON.parse(readFileSync(new URL('../supergraph/apps.json', import.meta.url), 'utf8'));
  const FILE = 'supergraph/apps.json';
  /** The sample registry changed by `edit`, as the app registry file. */
  const parsed = (edit: (registry: typeof SAMPLE) => void) => () => {
    const registry = structuredClone(SAMPLE);
    edit(registry);
    return parseAppRegistry(registry, FILE);
  };

  it('names the file, the path in it and what was expected', () => {
    const file = join(tempDataDir(), 'apps.json');
    writeFileSync(file, JSON.stringify({ ...SAMPLE, apps: SAMPLE.apps.map((a: object, i: number) => (i === 2 ? { ...a, limits: { concurrent: 'many' } } : a)) }));
    expect(() => readAppRegistry(file)).toThrow(ConfigError);
    expect(() => readAppRegistry(file)).toThrow(`${file}: apps[2].limits.concurrent: expected a whole number of at least 1, got "many"`);
    expect(parsed((r) => (r.apps[3].origins = ['https://credit.qinghe.example/portal']))).toThrow(
      `${FILE}: apps[3].origins[0]: expected an origin such as "https://portal.example.gov" (scheme, host and port only), got "https://credit.qinghe.example/portal"`,
    );
    expect(parsed((r) => (r.apps[1].purposes = ['Tax-Inspection']))).toThrow(`${FILE}: apps[1].purposes[0]: expected a purpose code`);
    expect(parsed((r) => delete r.apps[0].department)).toThrow(`${FILE}: apps[0].department: expected a department, got nothing`);
    expect(parsed((r) => (r.principals[1].roles = ['approver', 'root']))).toThrow(`${FILE}: principals[1].roles[1]: expected one of approver, auditor, maintainer, label-editor, publisher, got "root"`);
    expect(parsed((r) => (r.principals[0].tokenSha256 = 'abc'))).toThrow(`${FILE}: principals[0].tokenSha256: expected the hex SHA-256 of the token, got "abc"`);
    expect(parsed((r) => r.principals.push(r.principals[0]))).toThrow(`${FILE}: principals[5]: expected each principal once, operator/zhao.min is listed twice`);
    expect(parsed((r) => (r.jwt.audience = ''))).toThrow(`${FILE}: jwt.audience: expected an audience, not an empty one, got ""`);
    expect(parsed((r) => delete r.apps)).toThrow(`${FILE}: apps: expected a list of apps, got nothing`);
  });

  it('checks an app created through the admin endpoint by the same schema', () => {
    expect(parseAppEntry({ id: 'permits', department: 'Housing Bureau', limits: { concurrent: 4 } }, 'the app')).toMatchObject({ appId: 'permits', name: 'permits', district: null, apiKeys: [], limits: { concurrent: 4 } });
    expect(() => parseAppEntry({ id: 'permits', department: 'Housing Bureau', limits: { maxCost: 0 } }, 'the app')).toThrow('the app: limits.maxCost: expected a whole number of at least 1, got 0');
    expect(() => parseAppEntry({ id: 'a permit office', department: 'Housing Bureau' }, 'the app')).toThrow(/^the app: id: expected an app id/);
  });
});
