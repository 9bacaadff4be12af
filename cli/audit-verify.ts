// npm run audit:verify: checks the access audit trail — its archived segments first (see
// supergraph/audit/retention.ts), then the records kept in the trail after them, the recipients
// index and the decision trail — against the signed checkpoints, and the providers' countersignatures
// (their public keys in `keys/providers/<party>-countersign.pub.pem` and their copies in
// `access/<party>.countersigned.jsonl` under --providers DIR). Its flags are in cli/commands.ts.
// With stores.postgres (JG_POSTGRES_URL) and no --file, it checks the trail replicas share there
// instead: every replica's chain and the decision chain, against the checkpoints in the store and
// the copies beside the key (cli/audit-shared.ts).

import { existsSync } from 'node:fs';
import type { TrailCheck } from '../supergraph/audit/index.ts';
import { AUDIT_VERIFY } from './commands.ts';
import { parseCommand } from './usage.ts';

const args = parseCommand(AUDIT_VERIFY).values;
// Loaded once the flags are read: the help answers without them.
const {
  checkpointsFileOf, countersignaturesFileOf, publicKeyFileOf, readCheckpointExport, readPublicKey, singleChainOperatorOnly, verifyCountersignatures, verifyTrail,
} = await import('../supergraph/audit/index.ts');
const { ConfigError } = await import('../supergraph/config/index.ts');
const { StoreUnavailableError } = await import('../supergraph/stores/index.ts');
const { cliSettings } = await import('./settings.ts');
const { countersignedLines, providerEvidence } = await import('./audit-countersigned.ts');
const { auditFiles, plural, requireTrail } = await import('./audit-files.ts');
const { verifySharedTrail } = await import('./audit-shared.ts');

const EXPLAINED: Record<string, string> = {
  'checkpoint-mismatch': 'its hash is not the one a signed checkpoint gives: the chain was recomputed after an edit',
  truncated: 'the trail ends before the last record a signed checkpoint names: its tail was cut',
  wiped: 'the trail holds no record, but signed checkpoints name some',
  'checkpoint-invalid': 'a checkpoint does not verify with the public key: it was forged or edited',
  'checkpoint-missing': 'a line of the checkpoints file is missing',
  'recipient-missing': 'the recipients index lacks a coordinate the record returned',
  'recipient-added': 'the recipients index names a coordinate the record did not return',
};

function brokenLine({ brokenAt, records }: TrailCheck): string {
  const { seq, problem } = brokenAt!;
  const [what, kind] = problem.startsWith('decision-') ? ['decision record', problem.slice('decision-'.length)]
    : problem.startsWith('checkpoint-') && problem !== 'checkpoint-mismatch' ? ['checkpoint for record', problem]
    : ['record', problem];
  const why = EXPLAINED[kind] ? ` — ${EXPLAINED[kind]}` : '';
  const verified = what === 'record' && !kind.startsWith('recipient-') ? ` (${plural(records, 'record')} verified before it)` : '';
  return `[AUDIT_CHAIN_BROKEN] ${what} ${seq}: ${kind}${why}${verified}`;
}

function signedLines(check: TrailCheck, sources: string): string[] {
  const decisions = `${plural(check.decisions ?? 0, 'decision record')}, hash chain intact`;
  const signed = check.signed;
  if (!signed || signed.count === 0) return [decisions, `Not signed: no checkpoint found (${sources}); the hash chain alone does not show records rewritten, cut or wiped by someone with write access to the store`];
  const last = signed.last!;
  const after = check.checkpoints?.after ?? 0;
  return [
    `${decisions}; recipients index matches the records`,
    `Signed: ${plural(signed.count, 'checkpoint')} verify with key ${last.key}; the newest (${last.n}, ${last.at}) names record ${last.access.seq} and decision record ${last.decisions.seq}`
      + (after > 0 ? `; ${plural(after, 'record')} written after it, covered by the hash chain only until the next checkpoint` : ''),
    ...(signed.unverified.length ? [`Countersigned by ${signed.unverified.join(', ')} (not checked: no key given)`] : []),
  ];
}

try {
  const { settings, file, dir, keyFile } = auditFiles(args);
  const providersDir = args.providers ?? cliSettings(args.config).dataDir;
  const exported = args.checkpoint === undefined ? undefined : readCheckpointExport(args.checkpoint);
  if (args.checkpoint !== undefined && !exported) throw new ConfigError('--checkpoint', `${args.checkpoint} is not a checkpoint exported by npm run audit:export`);
  // Replicas on PostgreSQL keep the trail there; --file still checks one SQLite trail (a copy, an older one).
  if (settings.postgres && args.file === undefined) {
    const ok = await verifySharedTrail(settings.postgres, {
      keyFile, providersDir, json: args.json === true, ...(args['public-key'] ? { publicKeyFile: args['public-key'] } : {}), ...(exported ? { exported } : {}),
    });
    process.exit(ok ? 0 : 1);
  }
  // An exported checkpoint carries its public key: the key folder is not needed.
  const publicKeyFile = args['public-key'] ?? (exported ? undefined : [publicKeyFileOf(keyFile), keyFile].find((f) => existsSync(f)));
  const checkpointsFile = args.checkpoints ?? (exported ? undefined : checkpointsFileOf(keyFile));
  if (!exported && !(checkpointsFile && existsSync(checkpointsFile))) requireTrail(file);
  const publicKey = publicKeyFile ? readPublicKey(publicKeyFile) : exported?.publicKey;
  const providers = checkpointsFile ? providerEvidence(countersignaturesFileOf(checkpointsFile), providersDir) : undefined;
  const check = verifyTrail({ file, archiveDir: dir, ...(publicKey ? { publicKey } : {}), ...(checkpointsFile ? { checkpointsFile } : {}), ...(exported ? { exported: exported.checkpoint } : {}) });
  if (check.unchecked > 0) throw new ConfigError('--public-key', `${plural(check.unchecked, 'signed checkpoint')} found but no public key at ${publicKeyFileOf(keyFile)}: give --public-key FILE`);
  const sources = exported ? `checkpoint ${args.checkpoint}` : `${checkpointsFile}, and the copies in the trail`;
  const countersigned = providers && verifyCountersignatures({ checkpoints: check.checkpointList, ...providers });
  const only = singleChainOperatorOnly(countersigned?.head, (check.checkpoints?.lastSeq ?? 0) + (check.checkpoints?.after ?? 0));
  const { errors, lines } = countersignedLines(countersigned, only, providersDir);
  if (errors.length > 0) process.exitCode = 1;
  if (args.json) {
    const { signed: _signed, checkpointList: _list, ...trail } = check;
    console.log(JSON.stringify({ ...trail, ok: check.ok && errors.length === 0, countersignatures: countersigned ? { ...countersigned, head: countersigned.head?.n ?? null } : null, operatorOnly: only }, null, 2));
    if (!check.ok) process.exitCode = 1;
    process.exit();
  }
  for (const line of errors) console.error(line);
  if (!check.ok) {
    console.error(brokenLine(check));
    process.exitCode = 1;
  } else if (check.segments === 0 && check.retainedFrom === undefined) {
    console.log([`OK: ${check.records} records, hash chain intact (${file})`, ...signedLines(check, sources)].join('\n'));
  } else {
    const retained = check.retainedFrom === undefined ? '' : `; records before ${check.retainedFrom} deleted past the retention period`;
    console.log([`OK: ${plural(check.archived, 'archived record')} in ${plural(check.segments, 'segment')} + ${plural(check.live, 'live record')}, hash chain intact (${dir}, ${file}${retained})`, ...signedLines(check, sources)].join('\n'));
  }
  if (check.ok) for (const line of lines) console.log(line);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof StoreUnavailableError ? `[${error.code}] ${error.message}` : error);
  process.exitCode = 1;
}
