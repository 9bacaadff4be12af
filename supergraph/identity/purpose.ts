// The purpose a request or an application states: a purpose code, then optional case ids
// (`tax-inspection/CASE-2026-0042`). Purposes are normalised once and matched segment by
// segment, so that no spelling of one purpose passes for a case under another.

import type { Requester } from './requester.ts';

const PURPOSE_MAX_LENGTH = 200;

const PURPOSE_GRAMMAR =
  'a purpose code (letters, digits and hyphens) and optional "/"-separated case ids (letters, digits, "-", "_" and ".", no segment "." or ".."), ' +
  `${PURPOSE_MAX_LENGTH} characters at most, e.g. tax-inspection/CASE-2026-0042`;

/** A purpose code as the app registry lists it: already lower case. */
export const PURPOSE_CODE = /^[a-z0-9][a-z0-9-]*$/;
const STATED_CODE = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const CASE_ID = /^[A-Za-z0-9._-]+$/;

export interface PurposeRefusal {
  code: 'PURPOSE_REQUIRED' | 'PURPOSE_INVALID' | 'PURPOSE_NOT_PERMITTED';
  message: string;
}

/**
 * The purpose trimmed, its code in lower case, or null when it is not in the grammar. Nothing
 * else is changed: what is not a purpose is refused rather than mended.
 */
function normalisePurpose(stated: string): string | null {
  const text = stated.trim();
  if (text.length > PURPOSE_MAX_LENGTH) return null;
  const [code = '', ...cases] = text.split('/');
  if (!STATED_CODE.test(code)) return null;
  if (!cases.every((segment) => CASE_ID.test(segment) && segment !== '.' && segment !== '..')) return null;
  return [code.toLowerCase(), ...cases].join('/');
}

/** Whether a grant for `granted` covers a request made for `asked`: the same purpose, or a case under it. */
export function purposeCovers(granted: string, asked: string): boolean {
  const grant = normalisePurpose(granted)?.split('/');
  const request = normalisePurpose(asked)?.split('/');
  if (!grant || !request || grant.length > request.length) return false;
  return grant.every((segment, i) => segment === request[i]);
}

/** A purpose `requester` may state: in the grammar, and of a code its registry entry lists, if it lists any. */
export function admitPurpose(requester: Requester, stated: string, what: string): { purpose: string } | PurposeRefusal {
  const purpose = normalisePurpose(stated);
  if (purpose === null) return { code: 'PURPOSE_INVALID', message: `${what} is not a purpose; a purpose is ${PURPOSE_GRAMMAR}.` };
  const code = purpose.split('/')[0]!;
  if (requester.purposes && !requester.purposes.includes(code)) {
    return { code: 'PURPOSE_NOT_PERMITTED', message: `${requester.appId} is registered for the purposes ${requester.purposes.join(', ')}, not for "${code}".` };
  }
  return { purpose };
}
