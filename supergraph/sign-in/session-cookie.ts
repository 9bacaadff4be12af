// The console's session and the sign-in in progress, each sealed in an HttpOnly cookie: a JWT
// encrypted and authenticated (JWE, dir + A256GCM) with a key derived from the session secret, one
// key per purpose, so neither cookie can stand for the other. The gateway keeps no session table:
// the cookie's own expiry, checked on every request, bounds it.

import { hkdfSync, randomBytes } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt, type JWTPayload } from 'jose';

export type CookiePurpose = 'session' | 'sign-in';

export type Opened<T> = { ok: true; claims: T & JWTPayload } | { ok: false; expired: boolean };

export interface CookieSealer {
  seal(purpose: CookiePurpose, claims: Record<string, unknown>, lifetimeS: number, now?: Date): Promise<string>;
  open<T>(purpose: CookiePurpose, sealed: string, maxAgeS: number, now?: Date): Promise<Opened<T>>;
}

/** `secret` absent: a random key for this process alone (a restart ends every session). */
export function cookieSealer(secret: string | undefined): CookieSealer {
  const base = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  const keys = new Map<CookiePurpose, Uint8Array>(
    (['session', 'sign-in'] as const).map((purpose) => [purpose, new Uint8Array(hkdfSync('sha256', base, 'jointgraph', `jointgraph ${purpose} cookie`, 32))]),
  );
  return {
    async seal(purpose, claims, lifetimeS, now = new Date()) {
      const at = Math.floor(now.getTime() / 1000);
      return new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', typ: purpose }).setIssuedAt(at).setExpirationTime(at + lifetimeS).encrypt(keys.get(purpose)!);
    },
    async open(purpose, sealed, maxAgeS, now = new Date()) {
      try {
        const { payload } = await jwtDecrypt(sealed, keys.get(purpose)!, {
          typ: purpose, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'],
          requiredClaims: ['iat', 'exp'], maxTokenAge: maxAgeS, currentDate: now,
        });
        return { ok: true, claims: payload as never };
      } catch (error) {
        return { ok: false, expired: error instanceof errors.JWTExpired };
      }
    },
  };
}

/** The cookies' names: with https, `__Host-` ones (the browser keeps them Secure, host-only, on path /). */
export function cookieNames(secure: boolean): Record<CookiePurpose, string> {
  return secure ? { session: '__Host-jg-session', 'sign-in': '__Host-jg-sign-in' } : { session: 'jg-session', 'sign-in': 'jg-sign-in' };
}

/** One cookie's value from a Cookie header; the sealed values are base64url and dots, never quoted. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, path /, Secure with https; `maxAgeS` 0 removes it. */
export function setCookie(name: string, value: string, maxAgeS: number, secure: boolean): string {
  return [`${name}=${value}`, 'Path=/', `Max-Age=${maxAgeS}`, 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])].join('; ');
}
