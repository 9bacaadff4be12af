// Opens everything the authorization stages need: the label catalogue (providers' proposals
// under the operator's overlay), the grant store, the audit trail (with its hourly retention job,
// its signed checkpoints and the decision trail the grant and objection services report to)
// and the authenticator. With shared stores the whole audit trail is PostgreSQL's: access records
// in one chain per replica, decisions in one chain all replicas append to, signed checkpoints of
// both (each one this replica signs is also copied to a file beside its key).

import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import {
  archiveDirOf, AuditKeyMismatch, auditKeyFileOf, defaultAuditKeyFile, ReplicaIdInUse, checkpointsFileOf, keyInStateDir, openAuditLog, openPostgresAuditTrail, openSigningKey,
  postgresAccessTrail, publicKeyFileOf, readReplicaCheckpointCopies, scheduleCheckpoints, scheduleRetention, sqliteAccessTrail, type AccessTrail, type AuditLog,
  type SigningKey,
} from '../supergraph/audit/index.ts';
import { ConfigError, type Settings, type SignInConfiguration } from '../supergraph/config/index.ts';
import type { AuthorizationOptions } from '../supergraph/gateway/authorization-stage.ts';
import { createGrantService, type GrantService, type WorkingCalendar } from '../supergraph/grants/index.ts';
import { createAuthenticator, mergeAppStore, readAppRegistry, type AppRegistry, type JwtKeys } from '../supergraph/identity/index.ts';
import { buildLabelCatalog, labelReport, liveCatalog, readLabelOverlay, type LabelCatalog } from '../supergraph/labels/index.ts';
import type { EnforcementMode } from '../supergraph/policy/index.ts';
import { createObjectionService, type ObjectionService } from '../supergraph/objections/index.ts';
import type { PostgresSettings } from '../supergraph/stores/index.ts';
import type { ControlPlane } from './control-plane.ts';
import type { NotificationSettings } from '../supergraph/config/settings.ts';
import { jointLoop, type JointLoop } from './joint-loop.ts';

export interface AuthorizationSettings {
  labelOverlayFile: string;
  appsFile: string;
  stateDir: string;
  /** server.dataDir: the audit key's folder unless auditSigning names the key; beside the state folder without it. */
  dataDir?: string;
  mode: EnforcementMode;
  replyWorkingDays: number;
  objectionWorkingDays?: number;
  /** Exceptions to the official working calendar for both deadlines. */
  workingCalendar?: WorkingCalendar;
  jwtSecret?: string;
  jwksUrl?: string;
  jwksFile?: string;
  /** The longest lifetime an app's token may have, in seconds; without it no token is accepted. */
  jwtMaxLifetimeS?: number;
  /** Archive old audit records (and delete archived ones past retention) at start and every hour. */
  auditRetention?: { archiveAfterDays: number; retentionDays: number; archiveDir?: string };
  /** Sign checkpoints of the audit trail every so many records or seconds; the key defaults to `keys/` beside the state folder. */
  auditSigning?: { keyFile?: string; everyRecords: number; everySeconds: number };
  /** Publications: held PENDING until an operator approves, and how far back the audit trail counts as use. */
  registry?: { requireOperatorApproval: boolean; usageWindowDays: number };
  /** PostgreSQL shared by replicas for grants, apps, keys, principals, the registry, objections, operations and the access trail; SQLite files without. */
  postgres?: PostgresSettings;
  /** This replica's chain in the shared access trail; without it, a chain of its own per opening. */
  replicaId?: string;
  /** Single sign-on for the console (the admin endpoint's /auth routes). */
  signIn?: SignInConfiguration;
  /** Reminders, escalations and notice delivery; the defaults without it. */
  notifications?: NotificationSettings;
  now?: () => Date;
  /** A new application's id; a random UUID unless a test needs ids that share a prefix. */
  newApplicationId?: () => string;
}

export interface OpenAuthorization {
  /**
   * Readies the audit trail (a shared one migrated, its key checked against the other replicas':
   * CONFIG_INVALID when it differs) and records the operator's files (label overlay, app registry)
   * on the decision trail unless unchanged since they were last recorded.
   */
  start(): Promise<void>;
  options: AuthorizationOptions;
  registry: AppRegistry;
  catalog: LabelCatalog;
  grants: GrantService;
  /** This replica's SQLite trail (held in memory, empty, when the trail is shared). */
  audit: AuditLog;
  /** The audit trail (access and decision records) the gateway writes: `audit`'s, or the one replicas share. */
  access: AccessTrail;
  objections: ObjectionService;
  /** Data demands and notifications. */
  loop: JointLoop;
  close(): void;
}

/** The authorization part of the settings. */
export function authorizationSettings(settings: Settings): AuthorizationSettings {
  return {
    labelOverlayFile: settings.labelOverlayFile,
    appsFile: settings.appsFile,
    stateDir: settings.stateDir,
    mode: settings.authzMode === 'off' ? 'enforce' : settings.authzMode,
    replyWorkingDays: settings.replyWorkingDays,
    objectionWorkingDays: settings.objectionWorkingDays,
    workingCalendar: settings.workingCalendar,
    auditRetention: {
      archiveAfterDays: settings.auditArchiveAfterDays,
      retentionDays: settings.auditRetentionDays,
      ...(settings.auditArchiveDir ? { archiveDir: settings.auditArchiveDir } : {}),
    },
    auditSigning: {
      everyRecords: settings.auditCheckpointRecords,
      everySeconds: settings.auditCheckpointSeconds,
      ...(settings.auditKeyFile ? { keyFile: settings.auditKeyFile } : {}),
    },
    dataDir: settings.dataDir,
    registry: { requireOperatorApproval: settings.registryRequireApproval, usageWindowDays: settings.registryUsageWindowDays },
    jwtMaxLifetimeS: settings.jwtMaxLifetimeS,
    ...(settings.postgres ? { postgres: settings.postgres } : {}),
    ...(settings.postgres && settings.replicaId ? { replicaId: settings.replicaId } : {}),
    ...(settings.jwtSecret ? { jwtSecret: settings.jwtSecret } : {}),
    ...(settings.jwksUrl ? { jwksUrl: settings.jwksUrl } : {}),
    ...(settings.jwksFile ? { jwksFile: settings.jwksFile } : {}),
    ...(settings.signIn ? { signIn: settings.signIn } : {}),
    ...(settings.notifications ? { notifications: settings.notifications } : {}),
  };
}

/** `stores`: the control plane, opened already (openControlPlane), on SQLite or on PostgreSQL shared by replicas. */
export function openAuthorization(supergraphSdl: string, settings: AuthorizationSettings, stores: ControlPlane): OpenAuthorization {
  const labelOverlay = readLabelOverlay(settings.labelOverlayFile);
  // Live: a schema swap (a publication, a reloaded overlay) replaces what every service reads.
  const catalog = liveCatalog(buildLabelCatalog(supergraphSdl, labelOverlay));
  const missing = labelReport(catalog).missingBasis;
  if (missing.length > 0) throw new ConfigError('labels', `NOT_SHARED without a legal basis: ${missing.join(', ')}`);
  // Apps and keys the operator manages live are merged over the file.
  const registry = mergeAppStore(readAppRegistry(settings.appsFile), stores.apps);
  const keys: JwtKeys = {
    ...(settings.jwtSecret ? { hs256Secret: settings.jwtSecret } : {}),
    ...(settings.jwksUrl ? { jwksUrl: settings.jwksUrl } : {}),
    ...(settings.jwksFile ? { jwks: JSON.parse(readFileSync(settings.jwksFile, 'utf8')) } : {}),
    ...(settings.jwtMaxLifetimeS ? { maxLifetimeS: settings.jwtMaxLifetimeS } : {}),
  };
  // With the trail shared, this replica's chain in it; no SQLite file is written then.
  const auditFile = settings.postgres ? ':memory:' : join(settings.stateDir, 'audit.db');
  const replicaId = settings.postgres ? (settings.replicaId ?? `${hostname()}:${randomUUID()}`) : undefined;
  const { audit, checkpoints, key, keyFile, created } = openAudit(auditFile, settings);
  const access = settings.postgres && replicaId ? sharedAccessTrail(settings, settings.postgres, replicaId, key, keyFile) : sqliteAccessTrail(audit);
  // A decision that cannot be recorded fails the call that took it (the change itself is stored: the error says so).
  const decided = access.decisions;
  const loop = jointLoop(settings, stores, catalog, decided);
  const grants = createGrantService({
    store: stores.grants,
    catalog,
    replyWorkingDays: settings.replyWorkingDays,
    ...(settings.workingCalendar ? { calendar: settings.workingCalendar } : {}),
    ...(settings.now ? { now: settings.now } : {}),
    ...(settings.newApplicationId ? { newId: settings.newApplicationId } : {}),
    onDecision: loop.grantDecided,
  });
  const retention = settings.auditRetention && !settings.postgres
    ? scheduleRetention(audit, { ...settings.auditRetention, dir: settings.auditRetention.archiveDir ?? archiveDirOf(auditFile) }, {
        now: settings.now ?? (() => new Date()),
        onError: (error) => console.error(`audit archival failed, the records stay in ${auditFile} and it is retried within the hour:`, error),
      })
    : undefined;
  const operations = stores.operations;
  const objections = createObjectionService({
    store: stores.objections,
    catalog,
    workingDays: settings.objectionWorkingDays ?? 5,
    ...(settings.workingCalendar ? { calendar: settings.workingCalendar } : {}),
    ...(settings.now ? { now: settings.now } : {}),
    onDecision: loop.objectionDecided,
  });
  const at = (settings.now ?? (() => new Date()))().toISOString();
  return {
    async start() {
      try {
        await access.start();
        if (created && key && keyFile) console.log(`Created the audit signing key ${keyFile} (key id ${key.id}); its public key is ${publicKeyFileOf(keyFile)}`);
      } catch (error) {
        if (error instanceof AuditKeyMismatch) {
          // A key made by this start and refused by the shared trail signed nothing: it goes, so the
          // next start does not find it and take it for the operator's.
          if (created && keyFile) for (const file of [keyFile, publicKeyFileOf(keyFile)]) rmSync(file, { force: true });
          throw new ConfigError('JG_AUDIT_KEY_FILE', error.message);
        }
        throw error instanceof ReplicaIdInUse ? new ConfigError('JG_REPLICA_ID', error.message) : error;
      }
      // The operator's files as this replica loaded them.
      await decided.appendFileDigest('label-overlay', settings.labelOverlayFile, at);
      await decided.appendFileDigest('app-registry', settings.appsFile, at);
    },
    options: { catalog, labelOverlay, authenticate: createAuthenticator(registry, keys), grants, access, mode: settings.mode, objections, operations, ...loop.openDemands(grants, objections) },
    registry,
    catalog,
    grants,
    audit,
    access,
    objections, loop,
    close() {
      loop.stop();
      retention?.stop();
      checkpoints?.stop();
      audit.close();
    },
  };
}

/** The audit key: the one named, or in a folder the configuration names (server.dataDir), never beside a state folder set elsewhere. */
export function auditKeyFileFor(settings: AuthorizationSettings): string {
  return settings.auditSigning?.keyFile ?? (settings.dataDir ? defaultAuditKeyFile(settings.dataDir) : auditKeyFileOf(settings.stateDir));
}

/** The audit trail, signed unless the settings leave signing out; a key kept with the records is refused. */
function openAudit(file: string, settings: AuthorizationSettings): { audit: AuditLog; checkpoints?: { stop(): void }; key?: SigningKey; keyFile?: string; created?: boolean } {
  const signing = settings.auditSigning;
  if (!signing) return { audit: openAuditLog(file) };
  const keyFile = auditKeyFileFor(settings);
  if (keyInStateDir(keyFile, settings.stateDir)) {
    throw new ConfigError(signing.keyFile ? 'JG_AUDIT_KEY_FILE' : 'JG_STATE_DIR', `the audit signing key ${keyFile} would be kept in the state folder ${settings.stateDir}, beside the records it signs; keep it in a folder of its own outside the state folder`);
  }
  // A key made now is announced by start(), once the trail takes it (the shared one may refuse it).
  const { key, created } = openSigningKey(keyFile);
  // The shared trail signs its own checkpoints (sharedAccessTrail): the empty one in memory signs none.
  if (file === ':memory:') return { audit: openAuditLog(file), key, keyFile, created };
  const audit = openAuditLog(file, { signing: { key, checkpointsFile: checkpointsFileOf(keyFile), everyRecords: signing.everyRecords } });
  const checkpoints = scheduleCheckpoints(audit, signing.everySeconds, (error) => console.error('audit checkpoint failed; the next one is tried on schedule:', error));
  return { audit, checkpoints, key, keyFile, created };
}

/**
 * The trail replicas share, in the shared stores' schema, its checkpoints signed with this replica's
 * audit key and copied to `checkpoints-<replica>.jsonl` beside it; verification reads the copies of
 * every replica whose file is in that folder.
 */
function sharedAccessTrail(settings: AuthorizationSettings, postgres: PostgresSettings, replicaId: string, key: SigningKey | undefined, keyFile: string | undefined): AccessTrail {
  const everySeconds = settings.auditSigning?.everySeconds;
  const copies = () => (keyFile ? readReplicaCheckpointCopies(dirname(keyFile)) : []);
  const checkpointsFile = key && keyFile && everySeconds ? checkpointsFileOf(keyFile, replicaId) : undefined;
  return postgresAccessTrail(openPostgresAuditTrail({
    connectionString: postgres.url,
    schema: postgres.schema,
    replicaId,
    timeoutMs: postgres.statementTimeoutMs ?? 5_000,
    ...(key && checkpointsFile && everySeconds
      ? { signing: { key, everySeconds, checkpointsFile, onError: (error) => console.error('shared audit checkpoint failed; the next one is tried on schedule:', error) } }
      : {}),
  }), copies, checkpointsFile);
}
