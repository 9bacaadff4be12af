// The registry of requesting apps and admin parties: who they are and how they prove it.
// Only SHA-256 digests of API keys and admin tokens are stored.

import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, readJsonFile } from '../config/index.ts';
import { PURPOSE_CODE } from './purpose.ts';
import type { Party, Requester } from './requester.ts';

export interface AppLimits {
  /** Requests to /graphql per minute. */
  requestsPerMinute?: number;
  /** Requests to /graphql in flight at once. */
  concurrent?: number;
  /** The estimated cost one operation may reach, over the gateway's default. */
  maxCost?: number;
}

export interface AppEntry extends Requester {
  apiKeySha256?: string;
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

export interface AdminEntry {
  party: Party;
  tokenSha256: string;
}

export interface JwtSettings {
  issuer: string;
  audience: string;
}

export interface AppRegistry {
  apps: Map<string, AppEntry>;
  admins: AdminEntry[];
  jwt: JwtSettings;
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
  const raw = json as { apps?: unknown; admins?: unknown; jwt?: { issuer?: unknown; audience?: unknown } };
  if (!Array.isArray(raw?.apps) || !Array.isArray(raw.admins)) throw new ConfigError(source, 'expected {"apps": [...], "admins": [...], "jwt": {...}}');
  const apps = new Map<string, AppEntry>();
  for (const [i, a] of (raw.apps as Record<string, unknown>[]).entries()) {
    if (typeof a.id !== 'string' || typeof a.department !== 'string') throw new ConfigError(`${source} apps[${i}]`, 'an app needs an id and a department');
    apps.set(a.id, {
      appId: a.id,
      name: typeof a.name === 'string' ? a.name : a.id,
      department: a.department,
      roles: Array.isArray(a.roles) ? a.roles.map(String) : [],
      district: typeof a.district === 'string' ? a.district : null,
      ...(typeof a.apiKeySha256 === 'string' ? { apiKeySha256: a.apiKeySha256 } : {}),
      ...(a.limits !== undefined ? { limits: parseLimits(a.limits, `${source} apps[${i}].limits`) } : {}),
      ...(a.operations !== undefined ? { operations: operationsMode(a.operations, `${source} apps[${i}].operations`) } : {}),
      ...(a.origins !== undefined ? { origins: browserOrigins(a.origins, `${source} apps[${i}].origins`) } : {}),
      ...(a.purposes !== undefined ? { purposes: purposeCodes(a.purposes, `${source} apps[${i}].purposes`) } : {}),
    });
  }
  const admins = (raw.admins as Record<string, unknown>[]).map((a, i) => {
    if (typeof a.party !== 'string' || typeof a.tokenSha256 !== 'string') throw new ConfigError(`${source} admins[${i}]`, 'an admin needs a party and a tokenSha256');
    return { party: a.party, tokenSha256: a.tokenSha256 };
  });
  const jwt = { issuer: String(raw.jwt?.issuer ?? ''), audience: String(raw.jwt?.audience ?? '') };
  if (!jwt.issuer || !jwt.audience) throw new ConfigError(`${source} jwt`, 'an issuer and an audience are required');
  return { apps, admins, jwt };
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
