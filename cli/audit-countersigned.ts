// What audit:verify says of the providers' countersignatures, on either trail: the problems
// (a checkpoint re-signed, rewritten or deleted after a provider countersigned it) and which
// records the operator's signature alone covers (after the newest checkpoint a provider countersigned).

import type { KeyObject } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  readCountersignatureEvidence, readPublicKey, type CountersignatureCheck, type CountersignatureEvidence, type OperatorOnly,
} from '../supergraph/audit/index.ts';
import { plural } from './audit-files.ts';

const COUNTERSIGN_EXPLAINED: Record<CountersignatureCheck['problems'][number]['problem'], string> = {
  'invalid-countersignature': ' — the countersignature does not verify over the checkpoint now in the file: the checkpoint was re-signed after the fact',
  'unknown-checkpoint': ' — a countersigned checkpoint is missing from the file',
  'copy-differs': ' — the provider countersigned another checkpoint under this number: the file was rewritten',
  'copy-of-unknown-checkpoint': ' — the provider countersigned a checkpoint the file no longer holds',
};

/** The providers' keys and what they countersigned under `dir` (read before the trail), when there are any. */
export function providerEvidence(countersignaturesFile: string, dir: string): { keys: Map<string, KeyObject>; evidence: CountersignatureEvidence } | undefined {
  const keysDir = join(dir, 'keys', 'providers');
  if (!existsSync(keysDir)) return undefined;
  const parties = readdirSync(keysDir).flatMap((f) => (f.endsWith('-countersign.pub.pem') ? [f.slice(0, -'-countersign.pub.pem'.length)] : []));
  return {
    keys: new Map(parties.map((p) => [p, readPublicKey(join(keysDir, `${p}-countersign.pub.pem`))])),
    evidence: readCountersignatureEvidence(countersignaturesFile, new Map(parties.map((p) => [p, join(dir, 'access', `${p}.countersigned.jsonl`)]))),
  };
}

/** The countersignature problems, and which records the operator's signature alone covers. */
export function countersignedLines(check: CountersignatureCheck | undefined, only: OperatorOnly, providersDir: string): { errors: string[]; lines: string[] } {
  const errors = (check?.problems ?? []).map((p) => `[AUDIT_CHAIN_BROKEN] checkpoint ${p.n}, provider ${p.party}: ${p.problem}${COUNTERSIGN_EXPLAINED[p.problem]}`);
  const ranges = only.ranges.map((r) => `${r.replica !== undefined ? `replica ${r.replica} ` : ''}${r.from}–${r.to}`).join(', ');
  const lines = [
    ...(check?.ok ? [`Countersigned: ${Object.entries(check.countersigned).map(([party, n]) => `${party} ${n}`).join(', ') || 'none yet'}; every provider's copy matches the checkpoints`] : []),
    ...(!check ? [`Countersignatures not checked: no provider keys under ${join(providersDir, 'keys', 'providers')} (give --providers DIR)`] : []),
    ...(only.records > 0 ? [`[AUDIT_UNCOUNTERSIGNED_TAIL] ${plural(only.records, 'record')} (${ranges}) covered by the operator's signature alone${check?.head ? `, after checkpoint ${check.head.n}, the newest a provider countersigned` : ''}: whoever holds the audit key could have appended, changed or cut them`] : []),
  ];
  return { errors, lines };
}
