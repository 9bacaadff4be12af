// All settings, read and validated once at start-up from a configuration file and the environment
// (which wins), then frozen. No other module reads process.env.

import { availableParallelism, hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { LOG_LEVELS, type SignInConfiguration } from './configuration-schema.ts';
import { loadConfigurationFile, settingLeaves, type Env } from './load-configuration.ts';
import { PACKAGE_ROOT as ROOT } from './package-root.ts';
import type { SubgraphEntry } from './subgraph-list.ts';

export interface CitySettings {
  seed: number;
  persons: number;
  enterprises: number;
}

/** A rate (requests a minute) and a number of requests in flight, past either of which a caller is answered 429. */
export interface FairUse {
  requestsPerMinute: number;
  concurrent: number;
}

export interface Settings {
  /** The configuration file the settings were read from, if any. */
  configFile?: string;
  /** Start the sample providers (the synthetic city) and serve the gateway in front of them. */
  sampleProviders: boolean;
  /** The subgraphs the configuration lists; without them, the subgraph list file. */
  subgraphs?: readonly SubgraphEntry[];
  host: string;
  port: number;
  /** Gateway processes serving the port (server.workers): each a replica, sharing PostgreSQL and Redis. */
  workers: number;
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
  /** Rate and requests in flight: per app without limits of its own, and per client address when authorization is off. */
  fairUse: { app: FairUse; address: FairUse };
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
  /** Set only when the configuration or JG_REDIS_URL is: the response cache and rate-limit counters replicas share. */
  redisUrl?: string;
  /** Set only when the configuration or JG_POSTGRES_URL is: the control-plane stores replicas share. */
  postgres?: { url: string; schema: string };
  /** This replica's chain in the shared access trail: stable across its restarts, distinct between replicas of one machine (absent on port 0: a chain per start). */
  replicaId?: string;
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
  /** Set only when the configuration or JG_AUDIT_ARCHIVE_DIR is; else `audit-archive` beside the trail, in the state folder. */
  auditArchiveDir?: string;
  /** Set only when the configuration or JG_AUDIT_KEY_FILE is; else `keys/audit-signing.pem` in dataDir (auditKeyFileFor). Never inside the state folder. */
  auditKeyFile?: string;
  /** A signed checkpoint of the audit trail once this many records were written since the last one… */
  auditCheckpointRecords: number;
  /** …or once this many seconds passed with anything new. */
  auditCheckpointSeconds: number;
  /** Publications wait for an operator's approval. */
  registryRequireApproval: boolean;
  /** Use of a field within this many days makes its removal a breaking change. */
  registryUsageWindowDays: number;
  jwtSecret?: string;
  jwksUrl?: string;
  jwksFile?: string;
  /** The longest lifetime (exp − iat) an app's token may have, in seconds. */
  jwtMaxLifetimeS: number;
  /** The gateway's JSON log (pino level); `silent` writes none. */
  logLevel: LogLevel;
  /** Set only when the configuration, JG_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT is: the OTLP/HTTP collector traces go to. */
  otlpEndpoint?: string;
  /** Set only when the configuration or JG_OIDC_ISSUER names an identity provider: people sign in to the console through it. */
  signIn?: SignInConfiguration;
  /** Reminders, escalations and the delivery of notices (webhooks, and email when an SMTP host is set). */
  notifications: NotificationSettings;
}

export interface NotificationSettings {
  reminderWorkingDays: number;
  checkSeconds: number;
  deliveryAttempts: number;
  retrySeconds: number;
  smtp?: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string };
}

export { LOG_LEVELS };
export type LogLevel = (typeof LOG_LEVELS)[number];
export { ConfigError } from './config-error.ts';

/** The settings of a configuration file (none: the schema's defaults), with the environment laid over it. */
export function loadConfiguration(file: string | undefined, env: Env): Readonly<Settings> {
  const { config, sourceOf } = loadConfigurationFile(file, env);
  // A path from the environment is taken as given, one from the file is relative to the file, a default to the project.
  const base = (path: readonly string[]) => ({ env: process.cwd(), file: file ? dirname(resolve(file)) : ROOT, default: ROOT })[sourceOf(path).from];
  for (const leaf of settingLeaves().filter((l) => l.meta['x-path'])) {
    const group = leaf.path.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, config);
    const value = group[leaf.path.at(-1)!];
    if (typeof value === 'string') group[leaf.path.at(-1)!] = resolve(base(leaf.path), value);
  }
  const { server, fairUse, providers, city, authorization, audit, cache, stores, registry, telemetry, signIn, notifications: notify } = config;
  const stateDir = authorization.stateDir ?? `${server.dataDir}/state`;
  const subgraphs = providers.subgraphs?.map((s) => Object.freeze({ ...s, ...(s.sdlFile ? { sdlFile: resolve(base(['providers', 'subgraphs']), s.sdlFile) } : {}) }));
  return Object.freeze({
    ...(file ? { configFile: file } : {}),
    sampleProviders: providers.sample,
    ...(subgraphs ? { subgraphs: Object.freeze(subgraphs) } : {}),
    host: server.host,
    port: server.port,
    workers: server.workers ?? (stores.postgres && stores.redis && !providers.sample ? availableParallelism() : 1),
    subgraphHost: providers.host,
    subgraphBasePort: providers.basePort,
    dataDir: server.dataDir,
    city: Object.freeze({ seed: city.seed, persons: city.persons, enterprises: city.enterprises ?? Math.max(10, Math.round(city.persons / 5)) }),
    subgraphTimeoutMs: providers.timeoutMs,
    healthTimeoutMs: server.healthTimeoutMs,
    bodyLimitBytes: server.bodyLimitBytes,
    maxResponseBytes: server.maxResponseBytes,
    fairUse: Object.freeze({
      app: Object.freeze({ requestsPerMinute: fairUse.requestsPerMinute, concurrent: fairUse.concurrent }),
      address: Object.freeze({ requestsPerMinute: fairUse.perAddressRequestsPerMinute, concurrent: fairUse.perAddressConcurrent }),
    }),
    subgraphListFile: providers.subgraphsFile,
    supergraphFile: providers.supergraphFile,
    labelOverlayFile: authorization.labelsFile,
    appsFile: authorization.appsFile,
    stateDir,
    authzMode: authorization.mode,
    replyWorkingDays: authorization.replyWorkingDays,
    cache: cache.enabled,
    cachePolicyFile: cache.policyFile,
    ...(stores.redis ? { redisUrl: stores.redis } : {}),
    ...(stores.postgres ? { postgres: { url: stores.postgres, schema: stores.postgresSchema } } : {}),
    ...(stores.replicaId || server.port !== 0 ? { replicaId: stores.replicaId ?? `${hostname()}:${server.port}` } : {}),
    probeIntervalMs: providers.probeIntervalMs,
    objectionWorkingDays: authorization.objectionWorkingDays,
    workingCalendar: Object.freeze({ extraHolidays: Object.freeze(authorization.extraHolidays), extraWorkdays: Object.freeze(authorization.extraWorkdays) }),
    auditArchiveAfterDays: audit.archiveAfterDays,
    auditRetentionDays: audit.retentionDays,
    ...(audit.archiveDir ? { auditArchiveDir: audit.archiveDir } : {}),
    ...(audit.keyFile ? { auditKeyFile: audit.keyFile } : {}),
    auditCheckpointRecords: audit.checkpointRecords,
    auditCheckpointSeconds: audit.checkpointSeconds,
    registryRequireApproval: registry.requireOperatorApproval,
    registryUsageWindowDays: registry.usageWindowDays,
    jwtMaxLifetimeS: authorization.jwt.maxLifetimeS,
    ...(authorization.jwt.secret ? { jwtSecret: authorization.jwt.secret } : {}),
    ...(authorization.jwt.jwksUrl ? { jwksUrl: authorization.jwt.jwksUrl } : {}),
    ...(authorization.jwt.jwksFile ? { jwksFile: authorization.jwt.jwksFile } : {}),
    logLevel: telemetry.logLevel,
    ...(telemetry.otlpEndpoint ? { otlpEndpoint: telemetry.otlpEndpoint } : {}),
    ...(signIn.issuer ? { signIn: Object.freeze(signIn as SignInConfiguration) } : {}),
    notifications: Object.freeze({
      reminderWorkingDays: notify.reminderWorkingDays, checkSeconds: notify.checkSeconds, deliveryAttempts: notify.webhookAttempts, retrySeconds: notify.retrySeconds,
      ...(notify.smtpHost
        ? { smtp: Object.freeze({ host: notify.smtpHost, port: notify.smtpPort, secure: notify.smtpSecure, from: notify.emailFrom, ...(notify.smtpUser ? { user: notify.smtpUser, password: notify.smtpPassword ?? '' } : {}) }) }
        : {}),
    }),
  });
}

/** The settings from the environment alone, over the schema's defaults. */
export function loadSettings(env: Env): Readonly<Settings> {
  return loadConfiguration(undefined, env);
}
