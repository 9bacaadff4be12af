// The identity provider as the gateway's OpenID Connect client sees it, through openid-client:
// discovery (read at the first sign-in, again after a failure), the authorization code flow with
// PKCE (S256), state and nonce, the ID token's checks (signature, issuer, audience, times, nonce),
// the userinfo claims, and RP-initiated logout where the provider offers it.

import * as oidc from 'openid-client';
import type { SignInConfiguration } from '../config/index.ts';

/** What the browser carries between the redirect to the provider and the callback. */
export interface Transaction {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class ProviderUnavailable extends Error {}

export interface IdentityProvider {
  authorizationUrl(transaction: Transaction): Promise<URL>;
  /** The claims of the person signed in (ID token over userinfo) and the ID token, once every check passed; throws otherwise. */
  exchange(callbackQuery: string, transaction: Transaction): Promise<{ claims: Record<string, unknown>; idToken: string | undefined }>;
  /** Where the browser signs out at the provider too, if it offers an end_session_endpoint. */
  endSessionUrl(idToken: string | undefined, after: string): Promise<URL | undefined>;
}

export const newTransaction = (): Transaction => ({ state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() });

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function identityProvider(settings: SignInConfiguration): IdentityProvider {
  const issuer = new URL(settings.issuer);
  // Plain http only to a provider on this machine (development, tests); anywhere else it is refused.
  const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
  const scope = [...new Set(['openid', ...settings.scopes])].join(' ');
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (discovered ??= oidc
      .discovery(issuer, settings.clientId, settings.clientSecret, settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(), insecure ? { execute: [oidc.allowInsecureRequests] } : {})
      .catch((error: unknown) => {
        discovered = undefined;
        throw new ProviderUnavailable(`${settings.issuer}: ${(error as Error).message}`, { cause: error });
      }));

  return {
    async authorizationUrl({ state, nonce, codeVerifier }) {
      const config = await configuration();
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl, scope, state, nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
      });
    },
    async exchange(callbackQuery, { state, nonce, codeVerifier }) {
      const config = await configuration();
      const current = new URL(settings.redirectUrl);
      current.search = callbackQuery;
      const tokens = await unavailableOnNetwork(oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true }));
      const idClaims = tokens.claims()!;
      const userinfo = config.serverMetadata().userinfo_endpoint ? await unavailableOnNetwork(oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)) : {};
      return { claims: { ...userinfo, ...idClaims }, idToken: tokens.id_token };
    },
    async endSessionUrl(idToken, after) {
      const config = await configuration().catch(() => undefined);
      if (!config?.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: after, ...(idToken ? { id_token_hint: idToken } : { client_id: settings.clientId }) });
    },
  };
}

/** A provider that cannot be reached is told apart from an answer that fails its checks. */
async function unavailableOnNetwork<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TypeError && /fetch failed/i.test(error.message)) throw new ProviderUnavailable(error.message, { cause: error });
    throw error;
  }
}
