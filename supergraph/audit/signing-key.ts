// The key that signs the audit checkpoints: Ed25519, kept outside the state folder so that whoever
// administers the stored records does not hold it. Created (mode 0600) on first start; the public
// half is written beside it for anyone who verifies.

import { dirname, join, resolve, sep } from 'node:path';

export { openSigningKey, publicKeyFileOf, publicKeyPem, readPublicKey, type SigningKey } from '../../protocol/signing-key.ts';

/** The default key file: `keys/audit-signing.pem` beside the state folder (so `<JG_DATA_DIR>/keys/…` by default). */
export const auditKeyFileOf = (stateDir: string) => join(dirname(resolve(stateDir)), 'keys', 'audit-signing.pem');

/** Where a configured gateway keeps the audit key unless audit.keyFile names one: in server.dataDir, a folder the configuration names. */
export const defaultAuditKeyFile = (dataDir: string) => join(resolve(dataDir), 'keys', 'audit-signing.pem');

/**
 * The checkpoints file beside the key. Replicas sharing the trail on PostgreSQL share the key too,
 * and may share its folder: each copies the shared trail's checkpoints it signs into a file of its
 * own (`checkpoints-<replica>.jsonl`), which verification reads back.
 */
export const checkpointsFileOf = (keyFile: string, replica?: string) =>
  join(dirname(keyFile), replica === undefined ? 'checkpoints.jsonl' : `checkpoints-${replica.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`);

/** Whether the key would sit in the state folder (or under it), with the records it is meant to vouch for. */
export function keyInStateDir(keyFile: string, stateDir: string): boolean {
  const keys = dirname(resolve(keyFile));
  const state = resolve(stateDir);
  return keys === state || keys.startsWith(`${state}${sep}`);
}

