// Why a data request is made: the purpose header, or the token's purpose claim. A claim binds:
// the header may narrow it to a case under it, never replace it.

import { admitPurpose, purposeCovers, type PurposeRefusal } from './purpose.ts';
import type { Requester } from './requester.ts';

export function statedPurpose(requester: Requester, header: string | undefined, claim: string | undefined): { purpose: string } | PurposeRefusal {
  const narrowing = header?.trim() ? header : undefined;
  if (claim === undefined) {
    if (!narrowing) return { code: 'PURPOSE_REQUIRED', message: 'Every data request states its purpose (header x-jointgraph-purpose or a purpose claim).' };
    return admitPurpose(requester, narrowing, 'The purpose header');
  }
  const bound = admitPurpose(requester, claim, "The token's purpose claim");
  if (!narrowing || !('purpose' in bound)) return bound;
  const narrowed = admitPurpose(requester, narrowing, 'The purpose header');
  if (!('purpose' in narrowed) || purposeCovers(bound.purpose, narrowed.purpose)) return narrowed;
  return {
    code: 'PURPOSE_NOT_PERMITTED',
    message: `The token is issued for the purpose "${bound.purpose}"; the purpose header may narrow it to a case under it (${bound.purpose}/…), not replace it with "${narrowed.purpose}".`,
  };
}
