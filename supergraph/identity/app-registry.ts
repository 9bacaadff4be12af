// The registry of requesting apps and admin principals: who they are and how they prove it.
// Only SHA-256 digests of API keys and admin tokens are stored. Apps and keys the operator
// manages live (the app store) are merged over the file at start and changed in place.

import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, readJsonFile } from '../config/index.ts';
import { PURPOSE_CODE } from './purpose.ts';
import type { AppStore } from './app-store.ts';
import { partyServicePrincipal, PRINCIPAL_ROLES, type Principal, type PrincipalRole } from './principal.ts';
import type { Requester } from './requester.ts';

export interface AppLimits {
  /** Requests to /graphql per minute. */
  requestsPerMinute?: number;
  /** Requests to /graphql in flight at once. */
  concurrent?: number;
  /** The estimated cost one operation may reach, over the gateway's default. */
  maxCost?: number;
}

/** One API key of an app, by its digest; `notAfter` (ms since the epoch) once it is rotated out or revoked. */
export interface ApiKey {
  id: string;
  sha256: string;
  notAfter?: number;
}

/** The key id of the key an app's entry in apps.json carries. */
export const FILE_KEY_ID = 'apps.json';

export interface AppEntry extends Requester {
  apiKeys: ApiKey[];
  /** Fair use for this app, over the gateway's defaults. */
  limits?: AppLimits;
  /** `registered`: the app runs only the operations it registered (trusted documents). */
  operations?: 'any' | 'registered';
  /** Browser origins the app is used from (cross-origin requests); none by default. */
  origins?: string[];
}

function positiveInteger(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ConfigError(where, 'expected a whole number of at least 1');
  return value;
}

export interface JwtSettings {
  issuer: string;
  audience: string;
}

export interface AppRegistry {
  apps: Map<string, AppEntry>;
  principals: Principal[];
  jwt: JwtSettings;
  /** Where apps and keys managed through the admin endpoint are kept; without it the registry is the file alone. */
  store?: AppStore;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time lookup by secret, so timing does not reveal which digests exist. */
export function findBySecret<T>(entries: Iterable<T>, digestOf: (e: T) => string | undefined, secret: string): T | undefined {
  const digest = Buffer.from(sha256(secret), 'hex');
  let found: T | undefined;
  for (const entry of entries) {
    const d = digestOf(entry);
    if (d && d.length === 64 && timingSafeEqual(Buffer.from(d, 'hex'), digest)) found = entry;
  }
  return found;
}

export function parseAppRegistry(json: unknown, source = 'app registry'): AppRegistry {
  const raw = json as { apps?: unknown; admins?: unknown; principals?: unknown; jwt?: { issuer?: unknown; audience?: unknown } };
  const list = (value: unknown) => value === undefined || Array.isArray(value);
  if (!Array.isArray(raw?.apps) || !list(raw.admins) || !list(raw.principals)) {
    throw new ConfigError(source, 'expected {"apps": [...], "principals": [...], "jwt": {...}}');
  }
  const apps = new Map<string, AppEntry>();
  for (const [i, a] of (raw.apps as unknown[]).entries()) {
    const entry = parseAppEntry(a, `${source} apps[${i}]`);
    apps.set(entry.appId, entry);
  }
  // An older registry's `admins` are the parties' service accounts, with every role.
  const admins = ((raw.admins ?? []) as Record<string, unknown>[]).map((a, i) => {
    if (typeof a.party !== 'string' || typeof a.tokenSha256 !== 'string') throw new ConfigError(`${source} admins[${i}]`, 'an admin needs a party and a tokenSha256');
    return partyServicePrincipal(a.party, a.tokenSha256);
  });
  const principals = [...admins, ...((raw.principals ?? []) as unknown[]).map((p, i) => parsePrincipal(p, `${source} principals[${i}]`))];
  const ids = principals.map((p) => `${p.party}/${p.id}`);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new ConfigError(`${source} principals`, `${twice} is listed twice`);
  const jwt = { issuer: String(raw.jwt?.issuer ?? ''), audience: String(raw.jwt?.audience ?? '') };
  if (!jwt.issuer || !jwt.audience) throw new ConfigError(`${source} jwt`, 'an issuer and an audience are required');
  return { apps, principals, jwt };
}

/** One app as apps.json lists it, or as the operator creates it through the admin endpoint. */
export function parseAppEntry(json: unknown, where: string): AppEntry {
  const a = (json ?? {}) as Record<string, unknown>;
  if (typeof a.id !== 'string' || !APP_ID.test(a.id) || typeof a.department !== 'string' || !a.department.trim()) {
    throw new ConfigError(where, 'an app needs an id (letters, digits, ".", "_" and "-") and a department');
  }
  if (a.roles !== undefined && !(Array.isArray(a.roles) && a.roles.every((r) => typeof r === 'string'))) throw new ConfigError(`${where}.roles`, 'expected a list of role names');
  return {
    appId: a.id,
    name: typeof a.name === 'string' ? a.name : a.id,
    department: a.department,
    roles: Array.isArray(a.roles) ? a.roles.map(String) : [],
    district: typeof a.district === 'string' ? a.district : null,
    apiKeys: typeof a.apiKeySha256 === 'string' ? [{ id: FILE_KEY_ID, sha256: a.apiKeySha256 }] : [],
    ...(a.limits !== undefined && a.limits !== null ? { limits: parseLimits(a.limits, `${where}.limits`) } : {}),
    ...(a.operations !== undefined && a.operations !== null ? { operations: operationsMode(a.operations, `${where}.operations`) } : {}),
    ...(a.origins !== undefined && a.origins !== null ? { origins: browserOrigins(a.origins, `${where}.origins`) } : {}),
    ...(a.purposes !== undefined && a.purposes !== null ? { purposes: purposeCodes(a.purposes, `${where}.purposes`) } : {}),
  };
}

const APP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function parsePrincipal(json: unknown, where: string): Principal {
  const p = (json ?? {}) as Record<string, unknown>;
  if (typeof p.id !== 'string' || !APP_ID.test(p.id) || typeof p.party !== 'string' || !p.party) throw new ConfigError(where, 'a principal needs an id and a party');
  if (p.kind !== 'person' && p.kind !== 'service') throw new ConfigError(`${where}.kind`, 'expected "person" or "service"');
  const roles = p.roles;
  if (!Array.isArray(roles) || !roles.every((r) => PRINCIPAL_ROLES.includes(r))) throw new ConfigError(`${where}.roles`, `expected a list of ${PRINCIPAL_ROLES.join(', ')}`);
  if (p.tokenSha256 !== undefined && (typeof p.tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.tokenSha256))) {
    throw new ConfigError(`${where}.tokenSha256`, 'expected the hex SHA-256 of the token');
  }
  return {
    id: p.id, name: typeof p.name === 'string' ? p.name : p.id, kind: p.kind, party: p.party, roles: roles as PrincipalRole[],
    ...(typeof p.tokenSha256 === 'string' ? { tokenSha256: p.tokenSha256 } : {}),
  };
}

function browserOrigins(raw: unknown, where: string): string[] {
  const origin = (o: unknown) => {
    try {
      return typeof o === 'string' && new URL(o).origin === o;
    } catch {
      return false;
    }
  };
  if (!Array.isArray(raw) || !raw.every(origin)) throw new ConfigError(where, 'expected a list of origins such as "https://portal.example.gov" (scheme, host and port only)');
  return raw as string[];
}

function purposeCodes(raw: unknown, where: string): string[] {
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((code) => typeof code === 'string' && PURPOSE_CODE.test(code))) {
    throw new ConfigError(where, 'expected a list of purpose codes such as "tax-inspection" (lowercase letters, digits and hyphens)');
  }
  return raw as string[];
}

function operationsMode(raw: unknown, where: string): 'any' | 'registered' {
  if (raw !== 'any' && raw !== 'registered') throw new ConfigError(where, 'expected "any" or "registered"');
  return raw;
}

function parseLimits(raw: unknown, where: string): AppLimits {
  if (raw === null || typeof raw !== 'object') throw new ConfigError(where, 'expected {"requestsPerMinute": N, "concurrent": N, "maxCost": N}');
  const limits: AppLimits = {};
  for (const name of ['requestsPerMinute', 'concurrent', 'maxCost'] as const) {
    const value = positiveInteger((raw as Record<string, unknown>)[name], `${where}.${name}`);
    if (value !== undefined) limits[name] = value;
  }
  return limits;
}

export function readAppRegistry(file: string): AppRegistry {
  return parseAppRegistry(readJsonFile(file, 'app registry'), file);
}
