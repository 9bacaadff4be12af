// All settings, read and validated once at start-up from the environment, then frozen.
// No other module reads process.env.

import { fileURLToPath } from 'node:url';

export interface CitySettings {
  seed: number;
  persons: number;
  enterprises: number;
}

export interface Settings {
  host: string;
  port: number;
  subgraphHost: string;
  /** Sample provider k (in SAMPLE_PROVIDERS order) listens on subgraphBasePort + k. */
  subgraphBasePort: number;
  dataDir: string;
  city: CitySettings;
  /** Timeout for a provider that the operator's list gives none. */
  subgraphTimeoutMs: number;
  healthTimeoutMs: number;
  bodyLimitBytes: number;
  /** Bytes of one answer at most (the gateway's own, and each provider's). */
  maxResponseBytes: number;
  subgraphListFile: string;
  supergraphFile: string;
  labelOverlayFile: string;
  appsFile: string;
  /** Grants and the audit trail (SQLite files). */
  stateDir: string;
  /** `off` serves plain federation: no labels, authorization or audit. */
  authzMode: 'enforce' | 'reject' | 'dry-run' | 'off';
  replyWorkingDays: number;
  /** The response cache; off by default, so every request asks the providers. */
  cache: boolean;
  cachePolicyFile: string;
  /** How often /health-style probes run for the availability measure; 0 turns them off. */
  probeIntervalMs: number;
  /** Reply deadline for data objections, in working days. */
  objectionWorkingDays: number;
  /** The operator's exceptions to mainland China's official working calendar, as ISO dates. */
  workingCalendar: { extraHolidays: readonly string[]; extraWorkdays: readonly string[] };
  /** Audit records older than this many days move to the archive. */
  auditArchiveAfterDays: number;
  /** Archived segments older than this many days are deleted; 0 keeps them forever. */
  auditRetentionDays: number;
  /** Set only when JG_AUDIT_ARCHIVE_DIR is; else `audit-archive` beside the trail, in the state folder. */
  auditArchiveDir?: string;
  /** Set only when JG_AUDIT_KEY_FILE is; else `keys/audit-signing.pem` beside the state folder. Never inside the state folder. */
  auditKeyFile?: string;
  /** A signed checkpoint of the audit trail once this many records were written since the last one… */
  auditCheckpointRecords: number;
  /** …or once this many seconds passed with anything new. */
  auditCheckpointSeconds: number;
  jwtSecret?: string;
  jwksUrl?: string;
  jwksFile?: string;
  /** The longest lifetime (exp − iat) an app's token may have, in seconds. */
  jwtMaxLifetimeS: number;
  /** The gateway's JSON log (pino level); `silent` writes none. */
  logLevel: LogLevel;
  /** Set only when JG_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT is: the OTLP/HTTP collector traces go to. */
  otlpEndpoint?: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
  }
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function httpUrl(env: Env, names: readonly string[]): { url?: string } {
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (!/^https?:\/\/[^\s]+$/.test(raw) || !URL.canParse(raw)) throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
    return { url: raw };
  }
  return {};
}

/** 0, or at least the archive-after period: a segment is never due for deletion before its records are archived. */
function retentionDays(env: Env, archiveAfterDays: number): number {
  const days = integer(env, 'JG_AUDIT_RETENTION_DAYS', 0, 0, 36_500);
  if (days > 0 && days < archiveAfterDays) {
    throw new ConfigError('JG_AUDIT_RETENTION_DAYS', `expected 0 (keep archived audit records forever) or at least JG_AUDIT_ARCHIVE_AFTER_DAYS (${archiveAfterDays}), got "${days}"`);
  }
  return days;
}

function isoDates(env: Env, name: string): readonly string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return Object.freeze([]);
  const dates = raw.split(',').map((d) => d.trim());
  for (const date of dates) {
    const parsed = Date.parse(`${date}T00:00:00Z`);
    const real = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(date);
    if (!real) throw new ConfigError(name, `expected comma-separated dates as YYYY-MM-DD, got "${date}"`);
  }
  return Object.freeze(dates);
}

/** A date is either an extra holiday or an extra working day, never both. */
function workingCalendar(env: Env): Settings['workingCalendar'] {
  const extraHolidays = isoDates(env, 'JG_EXTRA_HOLIDAYS');
  const extraWorkdays = isoDates(env, 'JG_EXTRA_WORKDAYS');
  const both = extraHolidays.filter((d) => extraWorkdays.includes(d));
  if (both.length > 0) throw new ConfigError('JG_EXTRA_WORKDAYS', `expected no date also in JG_EXTRA_HOLIDAYS, got ${both.join(', ')} in both`);
  return Object.freeze({ extraHolidays, extraWorkdays });
}

export function loadSettings(env: Env): Readonly<Settings> {
  const persons = integer(env, 'JG_PERSONS', 10_000, 10, 50_000_000);
  const dataDir = env.JG_DATA_DIR || `${ROOT}.data`;
  const auditArchiveAfterDays = integer(env, 'JG_AUDIT_ARCHIVE_AFTER_DAYS', 30, 1, 36_500);
  const otlp = httpUrl(env, ['JG_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']);
  return Object.freeze({
    host: env.JG_HOST || '127.0.0.1',
    port: integer(env, 'JG_PORT', 4000, 0, 65_535),
    subgraphHost: env.JG_SUBGRAPH_HOST || '127.0.0.1',
    subgraphBasePort: integer(env, 'JG_SUBGRAPH_BASE_PORT', 4001, 0, 65_530),
    dataDir,
    city: Object.freeze({
      seed: integer(env, 'JG_SEED', 20_261_126, 0, 2 ** 31 - 1),
      persons,
      enterprises: integer(env, 'JG_ENTERPRISES', Math.max(10, Math.round(persons / 5)), 10, 10_000_000),
    }),
    subgraphTimeoutMs: integer(env, 'JG_SUBGRAPH_TIMEOUT_MS', 5_000, 1, 600_000),
    healthTimeoutMs: integer(env, 'JG_HEALTH_TIMEOUT_MS', 2_000, 1, 60_000),
    bodyLimitBytes: integer(env, 'JG_BODY_LIMIT', 1_048_576, 1_024, 104_857_600),
    maxResponseBytes: integer(env, 'JG_MAX_RESPONSE_BYTES', 33_554_432, 1_024, 1_073_741_824),
    subgraphListFile: env.JG_SUBGRAPHS || `${ROOT}supergraph/subgraphs.json`,
    supergraphFile: env.JG_SUPERGRAPH || `${ROOT}supergraph/supergraph.graphql`,
    labelOverlayFile: env.JG_LABELS || `${ROOT}supergraph/labels.json`,
    appsFile: env.JG_APPS || `${ROOT}supergraph/apps.json`,
    stateDir: env.JG_STATE_DIR || `${dataDir}/state`,
    authzMode: oneOf(env, 'JG_AUTHZ_MODE', 'enforce', ['enforce', 'reject', 'dry-run', 'off'] as const),
    replyWorkingDays: integer(env, 'JG_REPLY_WORKING_DAYS', 5, 1, 60),
    cache: oneOf(env, 'JG_CACHE', 'off', ['on', 'off'] as const) === 'on',
    cachePolicyFile: env.JG_CACHE_POLICY || `${ROOT}supergraph/cache-policy.json`,
    probeIntervalMs: integer(env, 'JG_PROBE_INTERVAL_MS', 15_000, 0, 3_600_000),
    objectionWorkingDays: integer(env, 'JG_OBJECTION_WORKING_DAYS', 5, 1, 60),
    workingCalendar: workingCalendar(env),
    auditArchiveAfterDays,
    auditRetentionDays: retentionDays(env, auditArchiveAfterDays),
    ...(env.JG_AUDIT_ARCHIVE_DIR ? { auditArchiveDir: env.JG_AUDIT_ARCHIVE_DIR } : {}),
    ...(env.JG_AUDIT_KEY_FILE ? { auditKeyFile: env.JG_AUDIT_KEY_FILE } : {}),
    auditCheckpointRecords: integer(env, 'JG_AUDIT_CHECKPOINT_RECORDS', 1_000, 1, 1_000_000),
    auditCheckpointSeconds: integer(env, 'JG_AUDIT_CHECKPOINT_SECONDS', 60, 1, 86_400),
    jwtMaxLifetimeS: integer(env, 'JG_JWT_MAX_LIFETIME_S', 3_600, 60, 86_400),
    ...(env.JG_JWT_SECRET ? { jwtSecret: env.JG_JWT_SECRET } : {}),
    ...(env.JG_JWT_JWKS_URL ? { jwksUrl: env.JG_JWT_JWKS_URL } : {}),
    ...(env.JG_JWT_JWKS_FILE ? { jwksFile: env.JG_JWT_JWKS_FILE } : {}),
    logLevel: oneOf(env, 'JG_LOG_LEVEL', 'info', LOG_LEVELS),
    ...(otlp.url ? { otlpEndpoint: otlp.url } : {}),
  });
}
