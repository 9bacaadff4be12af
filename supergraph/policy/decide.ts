// The one policy: may this requester, for this purpose, receive this schema coordinate?
// Pure: labels × grants × purpose → allow (and under which grant), or deny with a reason.

import type { Application, RowScope } from '../grants/index.ts';
import { purposeCovers, type Requester } from '../identity/index.ts';
import type { CatalogField } from '../labels/index.ts';

export interface Subject {
  requester: Requester;
  purpose: string;
  /** The app's grants in force now. */
  grants: readonly Application[];
}

export type DenyReason = 'NOT_SHARED' | 'NO_GRANT' | 'OTHER_PURPOSE' | 'UNLABELED_TYPE';

export type Verdict =
  | { allowed: true; grantId: string | null; rowScope: RowScope }
  | { allowed: false; reason: DenyReason; message: string };

const UNCONDITIONAL: Verdict = Object.freeze({ allowed: true, grantId: null, rowScope: 'ALL' });

export function decide(subject: Subject, field: CatalogField | undefined): Verdict {
  if (!field) return { allowed: false, reason: 'UNLABELED_TYPE', message: 'This field is not in the label catalogue.' };
  const { label, coordinate } = field;
  if (label.sharing === 'NOT_SHARED') {
    return { allowed: false, reason: 'NOT_SHARED', message: `${coordinate} is not shared (${label.basis ?? 'no basis stated'}).` };
  }
  if (label.sharing === 'UNCONDITIONAL') return UNCONDITIONAL;
  const covering = subject.grants.filter((g) => g.coordinates.includes(coordinate));
  // An unrestricted grant beats a district-limited one for the same field.
  const grant = covering.find((g) => purposeCovers(g.purpose, subject.purpose) && g.rowScope === 'ALL') ?? covering.find((g) => purposeCovers(g.purpose, subject.purpose));
  if (grant) return { allowed: true, grantId: grant.id, rowScope: grant.rowScope };
  if (covering.length > 0) {
    return {
      allowed: false,
      reason: 'OTHER_PURPOSE',
      message: `${subject.requester.appId} holds a grant for ${coordinate} for purpose "${covering[0]!.purpose}", not for "${subject.purpose}".`,
    };
  }
  return { allowed: false, reason: 'NO_GRANT', message: `${subject.requester.appId} holds no active, jointly approved grant for ${coordinate}.` };
}
