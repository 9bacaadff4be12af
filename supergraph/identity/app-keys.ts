// The operator's live changes to apps and their keys: create an app, issue, rotate and revoke a
// key. Each is stored first (the control-plane store), then applied to the registry in place, so the next
// request sees it without a restart. A new key is returned once and kept only as its digest.

import { randomBytes } from 'node:crypto';
import { ConfigError } from '../config/index.ts';
import { parseAppEntry, sha256, type ApiKey, type AppEntry, type AppRegistry } from './app-registry.ts';
import type { AppStore } from './app-store.ts';

export class AppKeyError extends Error {
  constructor(readonly code: 'APP_INVALID' | 'KEY_NOT_FOUND', message: string) {
    super(message);
  }
}

export interface IssuedKey {
  appId: string;
  keyId: string;
  /** The key itself: shown to the operator once, never stored. */
  key: string;
  /** Keys the issue retired, with the instant each is refused from (a rotation). */
  retired: { keyId: string; notAfter: string }[];
}

export type KeyAction = 'create-app' | 'issue-key' | 'rotate-key' | 'revoke-key';

function storeOf(registry: AppRegistry): AppStore {
  if (!registry.store) throw new AppKeyError('APP_INVALID', 'This gateway keeps no app store: apps and keys are managed only where authorization is on.');
  return registry.store;
}

function appOf(registry: AppRegistry, appId: string): AppEntry {
  const app = registry.apps.get(appId);
  if (!app) throw new AppKeyError('KEY_NOT_FOUND', `No app "${appId}".`);
  return app;
}

const live = (key: ApiKey, at: Date) => key.notAfter === undefined || key.notAfter > at.getTime();

/** A row stored already, by another replica maybe: PostgreSQL's unique violation, or SQLite's. */
const duplicate = (error: unknown) => /^(23505|SQLITE_CONSTRAINT)/.test(String((error as { code?: unknown }).code));

export async function createApp(registry: AppRegistry, input: Record<string, unknown>, by: string, at: Date): Promise<AppEntry> {
  let app: AppEntry;
  try {
    app = parseAppEntry({ ...input, apiKeySha256: undefined }, 'the app');
  } catch (error) {
    if (error instanceof ConfigError) throw new AppKeyError('APP_INVALID', error.message);
    throw error;
  }
  if (registry.apps.has(app.appId)) throw new AppKeyError('APP_INVALID', `An app "${app.appId}" is registered already.`);
  const { apiKeys: _none, ...entry } = app;
  await storeOf(registry).insertApp(entry, at.toISOString(), by).catch((error: unknown) => {
    throw duplicate(error) ? new AppKeyError('APP_INVALID', `An app "${app.appId}" is registered already.`) : error;
  });
  registry.apps.set(app.appId, app);
  return app;
}

/** A new key for the app; a rotation also retires its other keys `graceSeconds` from now. */
export async function issueKey(registry: AppRegistry, appId: string, by: string, at: Date, rotation?: { graceSeconds: number }): Promise<IssuedKey> {
  const store = storeOf(registry);
  const app = appOf(registry, appId);
  if (rotation && !(Number.isInteger(rotation.graceSeconds) && rotation.graceSeconds >= 0 && rotation.graceSeconds <= 30 * 86_400)) {
    throw new AppKeyError('APP_INVALID', 'The grace period is a whole number of seconds between 0 and 30 days.');
  }
  const key = `jg-key-${randomBytes(24).toString('base64url')}`;
  const issued: ApiKey = { id: `k-${randomBytes(4).toString('hex')}`, sha256: sha256(key) };
  const retiring = rotation ? app.apiKeys.filter((k) => live(k, at)) : [];
  const notAfter = new Date(at.getTime() + (rotation?.graceSeconds ?? 0) * 1000);
  await store.insertKey({ appId, ...issued }, at.toISOString(), by);
  for (const k of retiring) await store.retire({ appId, id: k.id, sha256: k.sha256 }, notAfter.toISOString(), at.toISOString(), by);
  app.apiKeys.push(issued);
  for (const k of retiring) k.notAfter = Math.min(k.notAfter ?? Infinity, notAfter.getTime());
  return { appId, keyId: issued.id, key, retired: retiring.map((k) => ({ keyId: k.id, notAfter: notAfter.toISOString() })) };
}

export async function revokeKey(registry: AppRegistry, appId: string, keyId: string, by: string, at: Date): Promise<{ appId: string; keyId: string; notAfter: string }> {
  const store = storeOf(registry);
  const key = appOf(registry, appId).apiKeys.find((k) => k.id === keyId);
  if (!key) throw new AppKeyError('KEY_NOT_FOUND', `App "${appId}" has no key "${keyId}".`);
  await store.retire({ appId, id: key.id, sha256: key.sha256 }, at.toISOString(), at.toISOString(), by);
  key.notAfter = Math.min(key.notAfter ?? Infinity, at.getTime());
  return { appId, keyId, notAfter: new Date(key.notAfter).toISOString() };
}

/** The app's keys as the operator sees them: ids and states, never a digest. */
export function keysOf(app: AppEntry, at: Date): { keyId: string; live: boolean; notAfter: string | null }[] {
  return app.apiKeys.map((k) => ({ keyId: k.id, live: live(k, at), notAfter: k.notAfter === undefined ? null : new Date(k.notAfter).toISOString() }));
}
