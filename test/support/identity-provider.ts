// A real OpenID Connect provider for the single sign-on tests (oidc-provider, on a free local
// port): a login form that checks passwords, the people of the operator and of two departments
// with their department claim and groups, a client for the gateway, and RP-initiated logout.
// Also: a sign-in driven through it with plain HTTP requests, for tests without a browser.

import { generateKeyPair, exportJWK } from 'jose';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface Person {
  password: string;
  name: string;
  department: string;
  groups: string[];
}

/** The operator's person, one of each of two departments, and one whose department JointGraph does not know. */
export const PEOPLE: Readonly<Record<string, Person>> = Object.freeze({
  'zhou.qing': { password: 'operator-pass', name: '周青', department: 'platform-office', groups: ['jg-operator-approvers', 'jg-operator-auditors'] },
  'wu.fang': { password: 'tax-pass', name: '吴芳', department: 'tax-bureau', groups: ['jg-approvers'] },
  'he.ping': { password: 'population-pass', name: '何平', department: 'population', groups: ['jg-auditors', 'jg-publishers'] },
  'li.lei': { password: 'weather-pass', name: '李雷', department: 'weather-bureau', groups: ['jg-approvers'] },
});

/** The mapping the gateway is configured with for these people. */
export const MAPPING = Object.freeze({
  idClaim: 'preferred_username',
  partyClaim: 'department',
  parties: { 'platform-office': 'operator', 'tax-bureau': 'tax' },
  groupsClaim: 'groups',
  groups: {
    'jg-operator-approvers': { party: 'operator', roles: ['approver'] },
    'jg-operator-auditors': { party: 'operator', roles: ['auditor'] },
    'jg-approvers': { roles: ['approver'] },
    'jg-auditors': { roles: ['auditor'] },
    'jg-publishers': { roles: ['publisher'] },
  },
});

export const CLIENT = Object.freeze({ id: 'jointgraph-console', secret: 'a-client-secret-of-the-test-provider' });

export interface TestIdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

/** Starts the provider; `gateway` is the origin the gateway will listen on (its callback and post-logout pages). */
export async function startIdentityProvider(gateway: string): Promise<TestIdentityProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT.id, client_secret: CLIENT.secret,
      redirect_uris: [`${gateway}/auth/callback`], post_logout_redirect_uris: [`${gateway}/console/`],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: ['a-cookie-key-of-the-test-provider'] },
    scopes: ['openid', 'profile', 'jointgraph'],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], jointgraph: ['department', 'groups'] },
    findAccount: async (_ctx, id) => {
      const person = PEOPLE[id];
      return person ? { accountId: id, claims: async () => ({ sub: id, preferred_username: id, name: person.name, department: person.department, groups: person.groups }) } : undefined;
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The gateway is a first-party client: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile jointgraph');
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = `<!doctype html><html><body>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Sign out of the identity provider</button></body></html>`;
        },
      },
    },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: 60, Interaction: 600, Grant: 3_600, Session: 3_600, AccessToken: 600, IdToken: 600 },
  });
  const callback = provider.callback();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const interaction = /^\/interaction\/([\w-]+)$/.exec(request.url ?? '');
    if (!interaction) return void callback(request, response);
    void (request.method === 'POST' ? login(provider, request, response) : Promise.resolve(loginForm(interaction[1]!, response, ''))).catch((error: Error) => {
      response.statusCode = 500;
      response.end(error.message);
    });
  });
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function loginForm(uid: string, response: ServerResponse, problem: string) {
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body><form method="post" action="/interaction/${uid}">
<p>${problem}</p><label>Username <input name="login" required></label><label>Password <input name="password" type="password" required></label>
<button type="submit">Sign in at the identity provider</button></form></body></html>`);
}

async function login(provider: Provider, request: IncomingMessage, response: ServerResponse) {
  const details = await provider.interactionDetails(request, response);
  let body = '';
  for await (const chunk of request) body += chunk;
  const form = new URLSearchParams(body);
  const login = form.get('login') ?? '';
  if (PEOPLE[login]?.password !== form.get('password')) return loginForm(details.uid, response, 'Wrong username or password.');
  await provider.interactionFinished(request, response, { login: { accountId: login } }, { mergeWithLastSubmission: false });
}

/** A cookie jar of one browser for one origin: the Set-Cookie headers it was sent, as a Cookie header. */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(setCookie: string[] | string | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at).trim(), pair!.slice(at + 1).trim()];
      if (/max-age=0\b|expires=thu, 01 jan 1970/i.test(line) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Signs `person` in at the provider from an authorization URL, as a browser would, and returns the
 * callback URL the provider sends the browser back to (not followed).
 */
export async function signInAtProvider(authorizationUrl: string, person: string, password = PEOPLE[person]?.password ?? ''): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let hops = 0; hops < 10; hops++) {
    const isLoginForm = /^\/interaction\/[\w-]+$/.test(url.pathname);
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(isLoginForm ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(isLoginForm ? { method: 'POST', body: new URLSearchParams({ login: person, password }).toString() } : {}),
    });
    jar.take(response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${(await response.text()).slice(0, 200)}`);
    url = new URL(location, url);
    if (url.origin !== origin) return url;
  }
  throw new Error('the provider redirected more than 10 times');
}
