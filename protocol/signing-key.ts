// An Ed25519 key pair in a PEM file (mode 0600, created on first use, its public half beside it):
// the operator's audit signing key, and each provider's countersigning key.

import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyId } from './audit-checkpoint.ts';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** `keyId` of the public key: checkpoints name it. */
  id: string;
}

/** The public key beside the private one: `audit-signing.pem` → `audit-signing.pub.pem`. */
export const publicKeyFileOf = (keyFile: string) => keyFile.replace(/(\.pem)?$/, '.pub.pem');

/** Reads the key pair in `file`, or creates it there (and its public half beside it) when absent. */
export function openSigningKey(file: string): { key: SigningKey; created: boolean } {
  const created = !existsSync(file);
  if (created) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const pair = generateKeyPairSync('ed25519');
    // Written whole under a name of its own, then linked into place (link fails when the name is
    // taken): of processes starting at once, one key is kept, and none reads a half-written file.
    const draft = `${file}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(draft, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return { key: readSigningKey(file), created: false };
    } finally {
      rmSync(draft, { force: true });
    }
  }
  const key = readSigningKey(file);
  const publicFile = publicKeyFileOf(file);
  if (!existsSync(publicFile)) writeFileSync(publicFile, publicKeyPem(key.publicKey), { mode: 0o644 });
  return { key, created };
}

function readSigningKey(file: string): SigningKey {
  const privateKey = createPrivateKey(readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, id: keyId(publicKey) };
}

/** A public key from a PEM file holding the public key (or the private one). */
export const readPublicKey = (file: string): KeyObject => createPublicKey(readFileSync(file));

export const publicKeyPem = (publicKey: KeyObject) => publicKey.export({ type: 'spki', format: 'pem' }).toString();
