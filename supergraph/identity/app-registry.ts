// The registry of requesting apps and admin principals: who they are and how they prove it.
// Only SHA-256 digests of API keys and admin tokens are stored. Apps and keys the operator
// manages live (the app store) are merged over the file at start and changed in place.

import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseFileInput, readJsonFile, WHOLE } from '../config/index.ts';
import { PURPOSE_CODE } from './purpose.ts';
import type { AppStore } from './app-store.ts';
import { partyServicePrincipal, PRINCIPAL_ROLES, type Principal } from './principal.ts';
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

const APP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A text that, when it is not one, is ignored as it always was (the app's or principal's name, its district). */
const optionalText = z.string().optional().catch(undefined);

const isOrigin = (o: string) => URL.canParse(o) && new URL(o).origin === o;

const positiveWhole = z.int({ error: 'expected a whole number of at least 1' }).min(1, { error: 'expected a whole number of at least 1' }).optional();
const LIMITS = 'expected {"requestsPerMinute": N, "concurrent": N, "maxCost": N}';
const ORIGIN = 'an origin such as "https://portal.example.gov" (scheme, host and port only)';
const PURPOSE = 'a purpose code such as "tax-inspection" (lowercase letters, digits and hyphens)';

/** One app as apps.json lists it, or as the operator creates it through the admin endpoint. */
export const appEntrySchema = z.object(
  {
    id: z.string({ error: 'expected an app id (letters, digits, ".", "_" and "-")' }).regex(APP_ID, { error: 'expected an app id (letters, digits, ".", "_" and "-")' }),
    name: optionalText,
    department: z.string({ error: 'expected a department' }).refine((d) => d.trim() !== '', { error: 'expected a department, not an empty one' }),
    roles: z.array(z.string({ error: 'expected a role name' }), { error: 'expected a list of role names' }).optional(),
    district: optionalText.meta({ description: 'GB/T 2260 area code of a district office' }),
    apiKeySha256: optionalText.meta({ description: "the hex SHA-256 of the app's API key" }),
    limits: z.object({ requestsPerMinute: positiveWhole, concurrent: positiveWhole, maxCost: positiveWhole }, { error: LIMITS }).nullish(),
    operations: z.enum(['any', 'registered'], { error: 'expected "any" or "registered"' }).nullish(),
    origins: z.array(z.string({ error: `expected ${ORIGIN}` }).refine(isOrigin, { error: `expected ${ORIGIN}` }), { error: `expected a list of ${ORIGIN.replace('an origin', 'origins')}` }).nullish(),
    purposes: z
      .array(z.string({ error: `expected ${PURPOSE}` }).regex(PURPOSE_CODE, { error: `expected ${PURPOSE}` }), { error: `expected a list of ${PURPOSE.replace('a purpose code', 'purpose codes')}` })
      .min(1, { error: `expected a list of at least one ${PURPOSE.slice(2)}` })
      .nullish(),
  },
  { error: 'expected an app {"id": ..., "department": ...}' },
);

const principalSchema = z.object(
  {
    id: z.string({ error: 'expected a principal id (letters, digits, ".", "_" and "-")' }).regex(APP_ID, { error: 'expected a principal id (letters, digits, ".", "_" and "-")' }),
    name: optionalText,
    kind: z.enum(['person', 'service'], { error: 'expected "person" or "service"' }),
    party: z.string({ error: 'expected a party' }).min(1, { error: 'expected a party, not an empty one' }),
    roles: z.array(z.enum(PRINCIPAL_ROLES, { error: `expected one of ${PRINCIPAL_ROLES.join(', ')}` }), { error: `expected a list of ${PRINCIPAL_ROLES.join(', ')}` }),
    tokenSha256: z.string({ error: 'expected the hex SHA-256 of the token' }).regex(/^[0-9a-f]{64}$/, { error: 'expected the hex SHA-256 of the token' }).optional(),
  },
  { error: 'expected a principal {"id": ..., "kind": ..., "party": ..., "roles": [...]}' },
);

// An older registry's `admins` are the parties' service accounts, with every role.
const adminSchema = z.object(
  { party: z.string({ error: 'expected a party' }), tokenSha256: z.string({ error: 'expected the hex SHA-256 of the token' }) },
  { error: 'expected an admin {"party": ..., "tokenSha256": ...}' },
);

/** The app registry file (supergraph/apps.json): apps, admin principals and the JWT issuer/audience. */
export const appRegistrySchema = z
  .object(
    {
      apps: z.array(appEntrySchema, { error: 'expected a list of apps' }),
      principals: z.array(principalSchema, { error: 'expected a list of principals' }).optional(),
      admins: z.array(adminSchema, { error: 'expected a list of admins' }).optional(),
      jwt: z.object(
        {
          issuer: z.string({ error: 'expected an issuer' }).min(1, { error: 'expected an issuer, not an empty one' }),
          audience: z.string({ error: 'expected an audience' }).min(1, { error: 'expected an audience, not an empty one' }),
        },
        { error: 'expected {"issuer": ..., "audience": ...}' },
      ),
    },
    { error: 'expected {"apps": [...], "principals": [...], "jwt": {...}}' },
  )
  .meta({ title: 'JointGraph app registry', description: 'requesting apps, admin principals and the JWT issuer and audience; secrets only as SHA-256 digests' })
  .superRefine((registry, ctx) => {
    const ids = [
      ...(registry.admins ?? []).map((a, i) => ({ id: `${a.party}/${a.party}`, path: ['admins', i] })),
      ...(registry.principals ?? []).map((p, i) => ({ id: `${p.party}/${p.id}`, path: ['principals', i] })),
    ];
    ids.forEach(({ id, path }, i) => {
      if (ids.findIndex((other) => other.id === id) !== i) ctx.addIssue({ code: 'custom', params: WHOLE, path, message: `expected each principal once, ${id} is listed twice` });
    });
  });

function toAppEntry(a: z.output<typeof appEntrySchema>): AppEntry {
  return {
    appId: a.id,
    name: a.name ?? a.id,
    department: a.department,
    roles: a.roles ?? [],
    district: a.district ?? null,
    apiKeys: a.apiKeySha256 !== undefined ? [{ id: FILE_KEY_ID, sha256: a.apiKeySha256 }] : [],
    ...(a.limits ? { limits: Object.fromEntries(Object.entries(a.limits).filter(([, v]) => v !== undefined)) as AppLimits } : {}),
    ...(a.operations ? { operations: a.operations } : {}),
    ...(a.origins ? { origins: a.origins } : {}),
    ...(a.purposes ? { purposes: a.purposes } : {}),
  };
}

export function parseAppRegistry(json: unknown, source = 'app registry'): AppRegistry {
  const raw = parseFileInput(appRegistrySchema, json, source);
  const apps = new Map(raw.apps.map((a) => [a.id, toAppEntry(a)]));
  const principals: Principal[] = [
    ...(raw.admins ?? []).map((a) => partyServicePrincipal(a.party, a.tokenSha256)),
    ...(raw.principals ?? []).map((p) => ({ ...p, name: p.name ?? p.id })),
  ];
  return { apps, principals, jwt: raw.jwt };
}

/** One app as apps.json lists it, or as the operator creates it through the admin endpoint. */
export function parseAppEntry(json: unknown, where: string): AppEntry {
  return toAppEntry(parseFileInput(appEntrySchema, json ?? {}, where));
}

export function readAppRegistry(file: string): AppRegistry {
  return parseAppRegistry(readJsonFile(file, 'app registry'), file);
}
