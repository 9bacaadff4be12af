// One request's authorization state: who asks, why, under which grants, and what the policy said
// (memoised per coordinate). Set once authenticated and only read after: what the operation pruned
// and whom it called travel forward in its result (gateway/operation-result.ts).

import { createHash } from 'node:crypto';
import type { Application } from '../grants/index.ts';
import { purposeCovers, type Requester } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { decide, type Verdict } from './decide.ts';

export type EnforcementMode = 'enforce' | 'reject' | 'dry-run';

export interface RequestAuthorization {
  readonly requester: Requester;
  readonly purpose: string;
  readonly mode: EnforcementMode;
  readonly grants: readonly Application[];
  verdictFor(coordinate: string): Verdict;
  /** Identifies what this requester may see, for purpose and grants: requests share cached data only within one scope. */
  readonly scope: string;
}

export function requestAuthorization(
  catalog: LabelCatalog,
  requester: Requester,
  purpose: string,
  grants: readonly Application[],
  mode: EnforcementMode,
): RequestAuthorization {
  const verdicts = new Map<string, Verdict>();
  const subject = { requester, purpose, grants };
  let scope: string | undefined;
  return {
    get scope() {
      // Whether a field is allowed, and for which rows, follows from the labels, the grants
      // whose purpose covers this one (their coordinates and row scope are fixed), and the
      // requester's district: requests alike in these see alike.
      scope ??= createHash('sha1')
        .update(`${requester.district ?? ''}\n${grants.filter((g) => purposeCovers(g.purpose, purpose)).map((g) => g.id).sort().join('\n')}`)
        .digest('base64url');
      return scope;
    },
    requester,
    purpose,
    mode,
    grants,
    verdictFor(coordinate) {
      let verdict = verdicts.get(coordinate);
      if (!verdict) verdicts.set(coordinate, (verdict = decide(subject, catalog.fields.get(coordinate))));
      return verdict;
    },
  };
}
