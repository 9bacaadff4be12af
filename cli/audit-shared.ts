// The audit CLIs on the trail replicas share (stores.postgres in the settings): verify every
// replica's chain and the decision chain against the signed checkpoints in the store and the copies
// kept beside the key (checkpoints-<replica>.jsonl), and export a checkpoint signed now. The
// archive job does not run on it: the shared trail is kept whole (retention is PostgreSQL's backups'
// and the operator's to set).

import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import {
  checkpointsFileOf, countersignaturesFileOf, openPostgresAuditTrail, replicaOperatorOnly, verifyCountersignatures, openSigningKey, parseReplicaCheckpoint, publicKeyFileOf, readPublicKey, readReplicaCheckpointCopies,
  writeCheckpointExport, type Checkpoint, type PostgresAuditTrailOptions, type PostgresChainCheck, type ReplicaCheckpoint,
} from '../supergraph/audit/index.ts';
import { ConfigError, type Settings } from '../supergraph/config/index.ts';
import { shown, storeUnavailable, unreachable } from '../supergraph/stores/index.ts';
import { countersignedLines, providerEvidence } from './audit-countersigned.ts';
import { plural } from './audit-files.ts';

type Shared = NonNullable<Settings['postgres']>;

/** The trail as a CLI opens it: a chain id of its own (it appends no access record), bounded like a replica's. */
function openShared(postgres: Shared, replicaId: string, signing?: PostgresAuditTrailOptions['signing']) {
  return openPostgresAuditTrail({ connectionString: postgres.url, schema: postgres.schema, replicaId, claimChain: false, maxConnections: 2, timeoutMs: 10_000, ...(signing ? { signing } : {}) });
}

/**
 * The CLIs read a trail the replicas made; they never make one: whether the schema holds it, asked
 * before the trail is opened (opening migrates).
 */
async function sharedTrailExists(postgres: Shared): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgres.url, connectionTimeoutMillis: 10_000, query_timeout: 10_000 });
  try {
    await client.connect();
    const found = await client.query('SELECT to_regclass($1) IS NOT NULL AS trail', [`${pg.escapeIdentifier(postgres.schema)}.audit_record`]);
    return found.rows[0].trail === true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A schema without the trail (a typo in JG_POSTGRES_SCHEMA, another database): refused, not migrated and then found "intact" and empty. */
const noTrail = (postgres: Shared) =>
  new ConfigError('stores.postgresSchema', `no audit trail in schema ${postgres.schema} at ${shown(postgres.url)}: nothing was checked; name the schema the replicas use (JG_POSTGRES_SCHEMA), or give --file FILE for a SQLite trail`);

/** PostgreSQL out of reach: STORE_UNAVAILABLE naming where, rather than a driver's stack trace. */
const reached = <T>(postgres: Shared, work: Promise<T>): Promise<T> =>
  work.catch((error) => {
    throw unreachable(error) ? storeUnavailable(shown(postgres.url), error, 'nothing was checked: retry once it answers') : error;
  });

const EXPLAINED: Record<string, string> = {
  edited: 'its hash does not cover its content: it was edited',
  'deleted-or-reordered': 'it does not follow the record before it: one was deleted or moved',
  'tail-deleted': 'the chain ends before the head the store names: its tail was cut',
  'head-missing': 'records exist but the head row naming the last one is gone',
  'checkpoint-mismatch': 'its hash is not the one a signed checkpoint gives: the chain was recomputed after an edit',
  truncated: 'the chain ends before the last record a signed checkpoint names: its tail was cut',
  wiped: 'the chain holds no record, but signed checkpoints name some',
  'checkpoint-invalid': 'it does not verify with the public key: it was forged or edited',
  'checkpoint-missing': 'a copy kept beside the key is not in the store under its number: checkpoints were deleted or rewritten',
};

function brokenLine(broken: NonNullable<PostgresChainCheck['brokenAt']>): string {
  const [what, problem] = 'replica' in broken ? [`replica ${broken.replica}, record ${broken.seq}`, broken.problem]
    : 'checkpoint' in broken ? [`checkpoint ${broken.checkpoint}`, broken.problem]
    : [`decision record ${broken.decision}`, broken.problem];
  return `[AUDIT_CHAIN_BROKEN] ${what}: ${problem}${EXPLAINED[problem] ? ` — ${EXPLAINED[problem]}` : ''}`;
}

export interface SharedVerifyOptions {
  keyFile: string;
  /** Where the providers' countersigning keys and copies are (keys/providers/, access/). */
  providersDir: string;
  json?: boolean;
  publicKeyFile?: string;
  /** An exported checkpoint (with its public key), checked as one more copy. */
  exported?: { checkpoint: Checkpoint; publicKey: KeyObject };
}

/** Prints the verdict; whether the trail verifies. */
export async function verifySharedTrail(postgres: Shared, { keyFile, providersDir, json, publicKeyFile, exported }: SharedVerifyOptions): Promise<boolean> {
  // What the providers countersigned, read before the trail: everything it names is in the store by then.
  const providers = providerEvidence(countersignaturesFileOf(checkpointsFileOf(keyFile)), providersDir);
  const keyPath = publicKeyFile ?? [publicKeyFileOf(keyFile), keyFile].find((f) => existsSync(f));
  const publicKey = keyPath ? readPublicKey(keyPath) : exported?.publicKey;
  const copies: ReplicaCheckpoint[] = readReplicaCheckpointCopies(dirname(keyFile));
  const exportedCopy = exported && parseReplicaCheckpoint(JSON.stringify(exported.checkpoint));
  if (exported && !exportedCopy) throw new ConfigError('--checkpoint', 'the exported checkpoint is not one of the shared trail (it names no replica heads)');
  if (exportedCopy) copies.push(exportedCopy);
  if (!(await reached(postgres, sharedTrailExists(postgres)))) {
    // Copies beside the key name records this schema held: the trail was dropped, not misnamed.
    if (copies.length === 0) throw noTrail(postgres);
    console.error(`[AUDIT_CHAIN_BROKEN] schema ${postgres.schema}: wiped — it holds no trail, but ${plural(copies.length, 'checkpoint')} kept beside the key (${dirname(keyFile)}) name records in it (unless JG_POSTGRES_SCHEMA names the wrong schema)`);
    return false;
  }
  const trail = openShared(postgres, 'audit-verify');
  try {
    const check = await reached(postgres, trail.verify(publicKey, copies));
    const where = `PostgreSQL schema ${postgres.schema}`;
    const countersigned = providers && verifyCountersignatures({ checkpoints: check.signedCheckpoints ?? [], ...providers });
    const only = replicaOperatorOnly(countersigned?.head as ReplicaCheckpoint | undefined, check.chains);
    const { errors, lines } = countersignedLines(countersigned, only, providersDir);
    if (json) {
      const { signedCheckpoints: _list, ...trailCheck } = check;
      console.log(JSON.stringify({ ...trailCheck, ok: check.ok && errors.length === 0, countersignatures: countersigned ? { ...countersigned, head: countersigned.head?.n ?? null } : null, operatorOnly: only }, null, 2));
      return check.ok && errors.length === 0;
    }
    for (const line of errors) console.error(line);
    if (check.brokenAt) {
      console.error(brokenLine(check.brokenAt));
      return false;
    }
    console.log(`OK: ${plural(check.records, 'access record')} in ${plural(check.chains.length, 'replica chain')} (${check.chains.map((c) => `${c.replica} ${c.records}`).join(', ') || 'none yet'}) and ${plural(check.decisions, 'decision record')}, hash chains intact (${where})`);
    if (!publicKey) {
      console.log(`Not signed: no public key at ${publicKeyFileOf(keyFile)} (give --public-key FILE); the hash chains alone do not show records rewritten, cut or wiped by someone with write access to the store`);
    } else if (!check.checkpoints || check.checkpoints.count === 0) {
      console.log('Not signed: no checkpoint in the store yet; the hash chains alone do not show records rewritten, cut or wiped by someone with write access to the store');
    } else {
      const after = check.checkpoints.after;
      console.log(`Signed: ${plural(check.checkpoints.count, 'checkpoint')} verify with the public key${after > 0 ? `; ${plural(after, 'access record')} written after the newest, covered by the hash chains only until the next` : ''}`);
      console.log(`Copies outside the store: ${plural(copies.length, 'checkpoint')} (${dirname(keyFile)}${exportedCopy ? ' and the exported one' : ''}), each the store's own under its number`);
    }
    for (const line of lines) console.log(line);
    return errors.length === 0;
  } finally {
    await trail.close().catch(() => undefined);
  }
}

/** Signs a checkpoint of every chain now (unless the last names the same heads) and writes it, with the public key, to `out`. */
export async function exportSharedCheckpoint(postgres: Shared, keyFile: string, out: string): Promise<ReplicaCheckpoint> {
  if (!(await reached(postgres, sharedTrailExists(postgres)))) throw noTrail(postgres);
  const { key } = openSigningKey(keyFile);
  const replicaId = 'audit-export';
  const trail = openShared(postgres, replicaId, { key, everySeconds: 3_600, checkpointsFile: checkpointsFileOf(keyFile, replicaId) });
  try {
    await reached(postgres, trail.start());
    const checkpoint = await reached(postgres, trail.checkpoint());
    if (!checkpoint) throw new ConfigError('stores.postgres', `the shared trail in schema ${postgres.schema} holds nothing to sign yet`);
    writeCheckpointExport(out, { checkpoint, publicKey: key.publicKey });
    return checkpoint;
  } finally {
    await trail.close().catch(() => undefined);
  }
}
