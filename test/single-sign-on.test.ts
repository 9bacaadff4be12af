// Single sign-on through a real OpenID Connect provider, request by request: a person signed in
// acts as the principal the mapping names, and every hostile or broken callback (forged state,
// replayed code, another nonce or issuer, no sign-in started, a person the mapping does not place)
// is refused with a catalogued code; a tampered, expired, signed-out or CSRF-less session is refused too.

import Fastify, { type LightMyRequestResponse } from 'fastify';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../supergraph/config/index.ts';
import { cookieSealer, principalFromClaims, signIn } from '../supergraph/sign-in/index.ts';
import { adminCall, APPS, applyFor } from './support/authorization.ts';
import { MAPPING, signInAtProvider } from './support/identity-provider.ts';
import { tempDataDir } from './support/platform.ts';
import { SESSION_SECRET, startSignInPlatform, type SignInPlatform } from './support/sign-in-platform.ts';

let sso: SignInPlatform;
beforeAll(async () => {
  sso = await startSignInPlatform();
}, 60_000);
afterAll(() => sso?.close());

const sealer = cookieSealer(SESSION_SECRET);

function cookieOf(response: LightMyRequestResponse, name: string): string | undefined {
  return response.cookies.find((c) => c.name === name)?.value;
}

const inject = (url: string, headers: Record<string, string> = {}) => sso.platform.gateway.inject({ method: 'GET', url, headers });

/** Starts a sign-in: where the provider is, and the sign-in cookie the browser keeps meanwhile. */
async function startSignIn() {
  const started = await inject('/auth/sign-in');
  expect(started.statusCode).toBe(302);
  return { authorizationUrl: started.headers.location as string, transaction: cookieOf(started, 'jg-sign-in')! };
}

const callback = (url: URL, transaction: string | undefined, accept = 'application/json') =>
  inject(`${url.pathname}${url.search}`, { accept, ...(transaction ? { cookie: `jg-sign-in=${transaction}` } : {}) });

/** A person signed in end to end: the session cookie and its CSRF token. */
async function signedIn(person: string) {
  const { authorizationUrl, transaction } = await startSignIn();
  const answered = await callback(await signInAtProvider(authorizationUrl, person), transaction);
  expect(answered.statusCode, answered.body).toBe(303);
  const cookie = cookieOf(answered, 'jg-session')!;
  const session = await inject('/auth/session', { cookie: `jg-session=${cookie}` });
  return { cookie, csrf: session.json().csrf as string, answered, session: session.json() };
}

const asSession = (cookie: string, csrf: string | undefined, query: string) =>
  sso.platform.gateway.inject({
    method: 'POST', url: '/admin/graphql',
    headers: { 'content-type': 'application/json', cookie: `jg-session=${cookie}`, ...(csrf ? { 'x-jointgraph-csrf': csrf } : {}) },
    payload: { query },
  });

/** A sign-in through the provider whose callback is changed on its way back, as by someone in between. */
async function changedCallback(change: (url: URL) => void) {
  const { authorizationUrl, transaction } = await startSignIn();
  const url = await signInAtProvider(authorizationUrl, 'wu.fang');
  change(url);
  return callback(url, transaction);
}

const codeOf = (response: LightMyRequestResponse) => response.json().errors?.[0]?.extensions?.code;

describe('signing in through the identity provider', () => {
  it('makes a department’s person the principal the mapping names, and the trail names them party/id', async () => {
    const { cookie, csrf, answered, session } = await signedIn('wu.fang');
    expect(answered.headers.location).toBe('/console/');
    expect(answered.headers['set-cookie']).toContainEqual(expect.stringMatching(/^jg-session=[\w.-]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/));
    expect(session).toMatchObject({ principal: { party: 'tax', id: 'wu.fang', name: '吴芳', roles: ['approver'] }, csrf: expect.any(String) });
    expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(8 * 3_600_000 - 60_000);

    const { id } = await applyFor(sso.platform, APPS.tax, { coordinates: ['Enterprise.taxArrears'], purpose: 'tax-inspection/CASE-SSO-1' });
    const approved = await asSession(cookie, csrf, `mutation { approve(id: "${id}") { parties { party answeredBy } } }`);
    expect(approved.json().data.approve.parties).toContainEqual({ party: 'tax', answeredBy: 'tax/wu.fang' });
    const trail = sso.platform.authorization!.audit.decisions.recent(50).filter((d) => d.subject === id && d.action === 'approve');
    expect(trail.map((d) => d.who)).toEqual(['tax/wu.fang']);
  });

  it('maps the operator’s person through the party table and groups', async () => {
    const { session } = await signedIn('zhou.qing');
    expect(session.principal).toEqual({ party: 'operator', id: 'zhou.qing', name: '周青', roles: ['approver', 'auditor'] });
  });

  it('refuses a person whose department is no party with SIGN_IN_NOT_MAPPED, and starts no session', async () => {
    const { authorizationUrl, transaction } = await startSignIn();
    const refused = await callback(await signInAtProvider(authorizationUrl, 'li.lei'), transaction, 'text/html');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('data-code="SIGN_IN_NOT_MAPPED"');
    expect(refused.body).toContain('weather-bureau');
    expect(cookieOf(refused, 'jg-session')).toBeUndefined();
  });

  it('refuses a forged state with SIGN_IN_FAILED', async () => {
    const refused = await changedCallback((url) => url.searchParams.set('state', 'forged-by-another-site'));
    expect([refused.statusCode, codeOf(refused)]).toEqual([400, 'SIGN_IN_FAILED']);
    expect(refused.json().errors[0].extensions.hint).toMatch(/start again/);
  });

  it('refuses a replayed code with SIGN_IN_FAILED', async () => {
    const { authorizationUrl, transaction } = await startSignIn();
    const url = await signInAtProvider(authorizationUrl, 'wu.fang');
    expect((await callback(url, transaction)).statusCode).toBe(303);
    const replayed = await callback(url, transaction);
    expect([replayed.statusCode, codeOf(replayed)]).toEqual([400, 'SIGN_IN_FAILED']);
  });

  it('refuses an ID token whose nonce is not the sign-in’s with SIGN_IN_FAILED', async () => {
    const { authorizationUrl, transaction } = await startSignIn();
    const url = await signInAtProvider(authorizationUrl, 'wu.fang');
    const opened = await sealer.open<{ state: string; codeVerifier: string }>('sign-in', transaction, 600);
    if (!opened.ok) throw new Error('the sign-in cookie did not open');
    const otherNonce = await sealer.seal('sign-in', { state: opened.claims.state, codeVerifier: opened.claims.codeVerifier, nonce: 'another-nonce' }, 600);
    const refused = await callback(url, otherNonce);
    expect([refused.statusCode, codeOf(refused)]).toEqual([400, 'SIGN_IN_FAILED']);
    expect(refused.json().errors[0].message).toMatch(/nonce/);
  });

  it('refuses an answer that names another issuer with SIGN_IN_FAILED', async () => {
    const refused = await changedCallback((url) => url.searchParams.set('iss', 'https://idp.elsewhere.example'));
    expect([refused.statusCode, codeOf(refused)]).toEqual([400, 'SIGN_IN_FAILED']);
  });

  it('refuses a callback no sign-in in this browser started, as a page with the code and a way back', async () => {
    const { authorizationUrl } = await startSignIn();
    const refused = await callback(await signInAtProvider(authorizationUrl, 'wu.fang'), undefined, 'text/html');
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.body).toContain('data-code="SIGN_IN_FAILED"');
    expect(refused.body).toContain('href="/console/"');
  });

  it('passes on what the provider answered instead of a code (a person who cancelled)', async () => {
    const { transaction } = await startSignIn();
    const refused = await inject('/auth/callback?error=access_denied&state=x', { cookie: `jg-sign-in=${transaction}`, accept: 'application/json' });
    expect([refused.statusCode, codeOf(refused)]).toEqual([400, 'SIGN_IN_FAILED']);
    expect(refused.json().errors[0].message).toContain('access_denied');
  });
});

describe('the console session', () => {
  it('is refused when tampered with, as no session at all (ADMIN_UNAUTHENTICATED)', async () => {
    const { cookie, csrf } = await signedIn('he.ping');
    // A character in the middle of the ciphertext (the fourth part), which always changes its bytes.
    const parts = cookie.split('.');
    const middle = Math.floor(parts[3]!.length / 2);
    parts[3] = `${parts[3]!.slice(0, middle)}${parts[3]![middle] === 'A' ? 'B' : 'A'}${parts[3]!.slice(middle + 1)}`;
    const tampered = await asSession(parts.join('.'), csrf, '{ me { party id } }');
    expect([tampered.statusCode, codeOf(tampered)]).toEqual([401, 'ADMIN_UNAUTHENTICATED']);
  });

  it('is refused past its lifetime with SESSION_EXPIRED, whatever the cookie says', async () => {
    const nineHoursAgo = new Date(Date.now() - 9 * 3_600_000);
    const stale = await sealer.seal('session', { sid: 'stale', party: 'tax', pid: 'wu.fang', name: '吴芳', roles: ['approver'], csrf: 'c' }, 8 * 3_600, nineHoursAgo);
    const refused = await asSession(stale, 'c', '{ me { party id } }');
    expect([refused.statusCode, codeOf(refused)]).toEqual([401, 'SESSION_EXPIRED']);
    expect((await inject('/auth/session', { cookie: `jg-session=${stale}` })).json().errors[0].extensions.code).toBe('SESSION_EXPIRED');
  });

  it('is taken by the admin endpoint only with its CSRF token (SESSION_CSRF_INVALID)', async () => {
    const { cookie, csrf } = await signedIn('he.ping');
    const without = await asSession(cookie, undefined, '{ me { party id } }');
    expect([without.statusCode, codeOf(without)]).toEqual([403, 'SESSION_CSRF_INVALID']);
    const wrong = await asSession(cookie, `${csrf.slice(1)}x`, '{ me { party id } }');
    expect(codeOf(wrong)).toBe('SESSION_CSRF_INVALID');
    expect((await asSession(cookie, csrf, '{ me { party id roles } }')).json().data.me).toEqual({ party: 'population', id: 'he.ping', roles: ['auditor', 'publisher'] });
  });

  it('ends at sign-out, here and at the provider, and the old cookie is refused after', async () => {
    const { cookie, csrf } = await signedIn('he.ping');
    const out = await sso.platform.gateway.inject({ method: 'POST', url: '/auth/sign-out', headers: { cookie: `jg-session=${cookie}`, 'x-jointgraph-csrf': csrf } });
    expect(out.statusCode).toBe(200);
    expect(out.headers['set-cookie']).toMatch(/^jg-session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    const location = new URL(out.json().location);
    expect(`${location.origin}${location.pathname}`).toBe(`${sso.provider.issuer}/session/end`);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${sso.base}/console/`);
    expect(location.searchParams.get('id_token_hint')).toMatch(/^ey/);
    const replayed = await asSession(cookie, csrf, '{ me { party id } }');
    expect([replayed.statusCode, codeOf(replayed)]).toEqual([401, 'SESSION_EXPIRED']);
  });

  it('leaves admin tokens as they were: a token decides alone, cookie or not', async () => {
    const { cookie } = await signedIn('wu.fang');
    const byToken = await adminCall(sso.platform, { token: 'jg-admin-operator' }, '{ me { party } }');
    expect(byToken.data?.me).toEqual({ party: 'operator' });
    const badToken = await sso.platform.gateway.inject({
      method: 'POST', url: '/admin/graphql',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token', cookie: `jg-session=${cookie}` },
      payload: { query: '{ me { party } }' },
    });
    expect([badToken.statusCode, codeOf(badToken)]).toEqual([401, 'ADMIN_UNAUTHENTICATED']);
  });
});

describe('sign-in settings', () => {
  it('answer SIGN_IN_UNAVAILABLE while the identity provider cannot be reached', async () => {
    const app = Fastify();
    await app.register(signIn({ ...sso.settings, issuer: 'http://127.0.0.1:9/' }, { parties: () => ['operator'] }).routes, { prefix: '/auth' });
    const refused = await app.inject({ method: 'GET', url: '/auth/sign-in', headers: { accept: 'application/json' } });
    expect([refused.statusCode, refused.json().errors[0].extensions.code]).toEqual([502, 'SIGN_IN_UNAVAILABLE']);
    await app.close();
  });

  it('are read from the configuration file, and refused without a client id or with an unknown role', () => {
    const dir = tempDataDir();
    const file = join(dir, 'jointgraph.yaml');
    writeFileSync(file, `signIn:
  issuer: https://id.example.gov.cn/realms/jointgraph
  clientId: jointgraph-console
  redirectUrl: https://jointgraph.example.gov.cn/auth/callback
  partyClaim: department
  groups:
    jg-operator-publishers: { party: operator, roles: [publisher] }
`);
    expect(loadConfiguration(file, {}).signIn).toMatchObject({ clientId: 'jointgraph-console', sessionSeconds: 28_800, scopes: ['openid', 'profile'], groups: { 'jg-operator-publishers': { party: 'operator', roles: ['publisher'] } } });
    expect(loadConfiguration(undefined, {}).signIn).toBeUndefined();
    expect(() => loadConfiguration(undefined, { JG_OIDC_ISSUER: 'https://id.example.gov.cn' })).toThrow(/JG_OIDC_CLIENT_ID|signIn\.clientId/);
    expect(() => signIn({ ...sso.settings, groups: { 'jg-x': { roles: ['superuser'] } } }, { parties: () => [] })).toThrow(/superuser/);
  });
});

describe('the claim mapping', () => {
  const PARTIES = ['operator', 'tax', 'population'];
  const map = (claims: Record<string, unknown>) => principalFromClaims(claims, MAPPING, PARTIES);

  it('takes the party from the claim through the party table, and roles from the groups of that party or of none', () => {
    expect(map({ sub: 's1', preferred_username: 'zhou.qing', department: 'platform-office', groups: ['jg-operator-approvers', 'jg-auditors', 'unknown-group'] })).toEqual({
      ok: true, principal: { id: 'zhou.qing', name: 'zhou.qing', kind: 'person', party: 'operator', roles: ['approver', 'auditor'] },
    });
  });

  it('reads a group given as a path, and falls back on the subject for the id', () => {
    expect(map({ sub: 'wu.fang', department: 'tax-bureau', groups: ['/jg-approvers'] })).toMatchObject({ ok: true, principal: { id: 'wu.fang', party: 'tax', roles: ['approver'] } });
  });

  it('refuses two parties, an unknown party, no party, no role, and an id with a slash', () => {
    const refusals = [
      { preferred_username: 'a', department: 'tax-bureau', groups: ['jg-operator-approvers'] },
      { preferred_username: 'a', department: 'weather-bureau', groups: ['jg-approvers'] },
      { preferred_username: 'a', groups: ['jg-approvers'] },
      { preferred_username: 'a', department: 'tax-bureau', groups: ['jg-unmapped'] },
      { preferred_username: 'tax/a', department: 'tax-bureau', groups: ['jg-approvers'] },
    ].map((claims) => map(claims));
    expect(refusals.map((r) => r.ok)).toEqual([false, false, false, false, false]);
    expect(refusals.map((r) => (r.ok ? '' : r.message))).toEqual([
      expect.stringContaining('more than one party'), expect.stringContaining('"weather-bureau"'), expect.stringContaining('name no party'),
      expect.stringContaining('no group that gives a role'), expect.stringContaining('no principal id'),
    ]);
  });
});
