// Single sign-on for the console: /auth/sign-in sends the browser to the identity provider,
// /auth/callback checks what comes back and starts a session, /auth/session tells the console who
// is signed in (and the session's CSRF token), /auth/sign-out ends the session here and, where the
// provider offers it, there too. Admin tokens and app keys are untouched by any of it.

import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { ConfigError, type SignInConfiguration } from '../config/index.ts';
import { principalName } from '../identity/index.ts';
import { principalFromClaims, unknownRoles } from './claim-mapping.ts';
import { consoleSessions, CSRF_HEADER, type ConsoleSessions, type SessionVerdict } from './console-session.ts';
import { EndedSessions } from './ended-sessions.ts';
import { identityProvider, newTransaction, ProviderUnavailable, type IdentityProvider, type Transaction } from './identity-provider.ts';
import { signInRefused, wantsPage } from './sign-in-answer.ts';
import { cookieNames, cookieSealer, cookieValue, setCookie } from './session-cookie.ts';

/** How long a browser may take at the provider's login form. */
const SIGN_IN_WINDOW_S = 600;

export interface SignIn {
  sessions: ConsoleSessions;
  routes: FastifyPluginAsync;
}

export interface SignInOptions {
  /** The parties a principal may belong to now: the operator and the providers served. */
  parties: () => readonly string[];
}

export function signIn(settings: SignInConfiguration, options: SignInOptions): SignIn {
  const unknown = unknownRoles(settings);
  if (unknown.length > 0) throw new ConfigError('signIn.groups', `expected roles among approver, auditor, maintainer, label-editor, publisher; got ${unknown.join(', ')}`);
  const now = () => new Date();
  const secure = new URL(settings.redirectUrl).protocol === 'https:';
  const names = cookieNames(secure);
  const sealer = cookieSealer(settings.sessionSecret);
  const sessions = consoleSessions({ sealer, cookie: names.session, lifetimeS: settings.sessionSeconds, ended: new EndedSessions(), now });
  const provider = identityProvider(settings);
  const afterSignOut = new URL('/console/', settings.redirectUrl).href;
  const clear = (name: string) => setCookie(name, '', 0, secure);

  const routes: FastifyPluginAsync = async (auth: FastifyInstance) => {
    auth.addHook('onSend', async (_request, reply) => void reply.header('cache-control', 'no-store'));

    auth.get('/sign-in', async (request, reply) => {
      const transaction = newTransaction();
      let url: URL;
      try {
        url = await provider.authorizationUrl(transaction);
      } catch (error) {
        request.log.warn({ err: error }, 'the identity provider could not be reached');
        return signInRefused(reply, wantsPage(request), 'SIGN_IN_UNAVAILABLE', 'The identity provider could not be reached.');
      }
      const sealed = await sealer.seal('sign-in', { ...transaction }, SIGN_IN_WINDOW_S, now());
      return reply.header('set-cookie', setCookie(names['sign-in'], sealed, SIGN_IN_WINDOW_S, secure)).redirect(url.href, 302);
    });

    auth.get('/callback', async (request, reply) => {
      // The sign-in in progress is used once, whatever comes of it.
      reply.header('set-cookie', clear(names['sign-in']));
      const sealed = cookieValue(request.headers.cookie, names['sign-in']);
      const opened = sealed ? await sealer.open<Transaction>('sign-in', sealed, SIGN_IN_WINDOW_S, now()) : undefined;
      if (!opened?.ok) return signInRefused(reply, wantsPage(request), 'SIGN_IN_FAILED', 'No sign-in was started in this browser within the last 10 minutes.');
      const at = request.url.indexOf('?');
      const query = at < 0 ? '' : request.url.slice(at + 1);
      const providerError = new URLSearchParams(query).get('error');
      if (providerError) return signInRefused(reply, wantsPage(request), 'SIGN_IN_FAILED', `The identity provider answered "${providerError}".`);
      let signedIn: Awaited<ReturnType<IdentityProvider['exchange']>>;
      try {
        signedIn = await provider.exchange(query, opened.claims);
      } catch (error) {
        request.log.warn({ err: error }, 'a sign-in was refused');
        return error instanceof ProviderUnavailable
          ? signInRefused(reply, wantsPage(request), 'SIGN_IN_UNAVAILABLE', 'The identity provider could not be reached.')
          : signInRefused(reply, wantsPage(request), 'SIGN_IN_FAILED', `The identity provider's answer did not check out: ${failedCheck(error)}.`);
      }
      const mapped = principalFromClaims(signedIn.claims, settings, options.parties());
      if (!mapped.ok) return signInRefused(reply, wantsPage(request), 'SIGN_IN_NOT_MAPPED', mapped.message);
      request.log.info({ principal: principalName(mapped.principal) }, 'signed in to the console');
      const session = await sessions.start(mapped.principal, signedIn.idToken);
      return reply.header('set-cookie', setCookie(names.session, session, settings.sessionSeconds, secure)).redirect('/console/', 303);
    });

    auth.get('/session', async (request, reply) => {
      const verdict = await sessions.read(request.headers, { csrf: false });
      if (verdict.kind !== 'signed-in') return refusedSession(verdict, reply);
      const { principal, claims, expiresAt } = verdict.session;
      return { principal: { party: principal.party, id: principal.id, name: principal.name, roles: principal.roles }, expiresAt: expiresAt.toISOString(), csrf: claims.csrf };
    });

    auth.post('/sign-out', async (request, reply) => {
      const verdict = await sessions.read(request.headers, { csrf: true });
      // A session that is no longer valid is simply forgotten; a valid one only with its CSRF token.
      if (verdict.kind === 'refused' && verdict.code === 'SESSION_CSRF_INVALID') return refusedSession(verdict, reply);
      reply.header('set-cookie', clear(names.session));
      if (verdict.kind !== 'signed-in') return { signedOut: true, location: '/console/' };
      sessions.end(verdict.session);
      request.log.info({ principal: principalName(verdict.session.principal) }, 'signed out of the console');
      const atProvider = await provider.endSessionUrl(verdict.session.claims.idt, afterSignOut);
      return { signedOut: true, location: atProvider?.href ?? '/console/' };
    });
  };
  return { sessions, routes };
}

function refusedSession(verdict: Exclude<SessionVerdict, { kind: 'signed-in' }>, reply: FastifyReply) {
  const [code, message] = verdict.kind === 'refused' ? [verdict.code, verdict.message] : (['ADMIN_UNAUTHENTICATED', 'Nobody is signed in to the console in this browser.'] as const);
  return signInRefused(reply, false, code, message);
}

/** What openid-client found wrong, and the check beneath it that failed (it wraps oauth4webapi's, which names the claim). */
function failedCheck(error: unknown): string {
  const { message, cause } = error as Error;
  return cause instanceof Error && cause.message !== message ? `${message}: ${cause.message}` : message;
}

export { CSRF_HEADER };
