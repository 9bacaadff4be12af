// The configuration file's schema: every setting, its type, range, default, meaning and the
// environment variable that overrides it. Settings, the JSON Schema and the reference table in docs/configuration.md
// come from here.

import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const AUTHORIZATION_MODES = ['enforce', 'reject', 'dry-run', 'off'] as const;

/** What docs/configuration.md and the JSON Schema say about a setting besides its type. */
export interface SettingMeta {
  [key: string]: unknown;
  description: string;
  /** The environment variable that overrides the file. */
  'x-env'?: string;
  /** A second variable read when the first is unset (the OpenTelemetry standard one). */
  'x-env-fallback'?: string;
  /** The default when it depends on other settings. */
  'x-default'?: string;
  /** A file or folder: relative to the configuration file, or to the project root for a default. */
  'x-path'?: boolean;
}

/** Marks a cross-setting issue whose message already says what was found. */
export const WHOLE = { whole: true } as const;

const wholeNumber = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
};

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `expected one of ${values.join(', ')}` });

const text = (what = 'a text') => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}, not an empty one` });

const redisUrl = z.string({ error: 'expected a redis:// or rediss:// URL' }).regex(/^rediss?:\/\/\S+$/, { error: 'expected a redis:// or rediss:// URL' }).refine((url) => URL.canParse(url), { error: 'expected a redis:// or rediss:// URL' });

const postgresUrl = z.string({ error: 'expected a postgres:// or postgresql:// URL' }).regex(/^postgres(ql)?:\/\/\S+$/, { error: 'expected a postgres:// or postgresql:// URL' }).refine((url) => URL.canParse(url), { error: 'expected a postgres:// or postgresql:// URL' });

const httpUrl = z.string({ error: 'expected an http(s) URL' }).regex(/^https?:\/\/\S+$/, { error: 'expected an http(s) URL' }).refine((url) => URL.canParse(url), { error: 'expected an http(s) URL' });

function isIsoDate(date: string): boolean {
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(parsed) && new Date(parsed).toISOString().startsWith(date);
}

const isoDates = z.array(z.string({ error: 'expected dates as YYYY-MM-DD' }).refine(isIsoDate, { error: 'expected dates as YYYY-MM-DD' }), { error: 'expected a list of dates as YYYY-MM-DD' });

const setting = <T extends z.ZodType>(schema: T, meta: SettingMeta) => schema.meta(meta);

export const subgraphEntrySchema = z.strictObject({
  name: z.string({ error: 'expected lower-case letters, digits and dashes' }).regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'expected lower-case letters, digits and dashes' }),
  url: httpUrl,
  sdlFile: text('the path of an SDL file').optional(),
  timeoutMs: z.int({ error: 'expected a positive whole number of milliseconds' }).min(1, { error: 'expected a positive whole number of milliseconds' }).optional(),
});

const SUBGRAPH_LIST = 'expected a list of at least one subgraph {name, url, sdlFile?, timeoutMs?}';

/** The subgraphs the gateway serves, each name once. */
export const subgraphListSchema = z
  .array(subgraphEntrySchema, { error: SUBGRAPH_LIST })
  .min(1, { error: SUBGRAPH_LIST })
  .superRefine((list, ctx) => {
    const names = list.map((s) => s.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', params: WHOLE, path: [i, 'name'], message: `expected each subgraph once, "${name}" is listed twice` });
    });
  });

const server = z.strictObject({
  host: setting(text('a host name or address').default('127.0.0.1'), { description: "the gateway's address", 'x-env': 'JG_HOST' }),
  port: setting(wholeNumber(0, 65_535).default(4000), { description: "the gateway's port (0: any free one)", 'x-env': 'JG_PORT' }),
  workers: setting(wholeNumber(1, 64).optional(), {
    description: 'gateway processes serving the one port, each a replica of the others (its own audit chain); above 1 needs `stores.postgres` and `stores.redis` (the state and the fair-use counters they share) and is not for `providers.sample`',
    'x-env': 'JG_WORKERS',
    'x-default': 'one per core with `stores.postgres` and `stores.redis` (not with `providers.sample`), else 1',
  }),
  bodyLimitBytes: setting(wholeNumber(1_024, 104_857_600).default(1_048_576), { description: 'largest accepted request body, in bytes', 'x-env': 'JG_BODY_LIMIT' }),
  maxResponseBytes: setting(wholeNumber(1_024, 1_073_741_824).default(33_554_432), {
    description: "largest answer, in bytes: the gateway's own (`RESPONSE_TOO_LARGE`) and each provider's (`SUBGRAPH_RESPONSE_TOO_LARGE`)",
    'x-env': 'JG_MAX_RESPONSE_BYTES',
  }),
  healthTimeoutMs: setting(wholeNumber(1, 60_000).default(2_000), { description: "the `/health` probe's timeout", 'x-env': 'JG_HEALTH_TIMEOUT_MS' }),
  dataDir: setting(text('a folder').default('.data'), { description: 'where providers keep their SQLite files and the gateway its signing key', 'x-env': 'JG_DATA_DIR', 'x-path': true }),
});

const providers = z.strictObject({
  sample: setting(z.boolean({ error: 'expected true or false' }).default(false), { description: 'start the five sample providers (the synthetic city) and serve the gateway in front of them' }),
  host: setting(text('a host name or address').default('127.0.0.1'), { description: 'the sample providers\' address', 'x-env': 'JG_SUBGRAPH_HOST' }),
  basePort: setting(wholeNumber(0, 65_530).default(4001), { description: 'sample provider *k* listens on base + *k* (population 4001 … civil-affairs 4005)', 'x-env': 'JG_SUBGRAPH_BASE_PORT' }),
  subgraphs: setting(subgraphListSchema.optional(), {
    description: 'the subgraphs to serve: `name`, `url`, optional `sdlFile` and `timeoutMs`; without it, the subgraph list file',
  }),
  subgraphsFile: setting(text('a file').default('supergraph/subgraphs.json'), { description: "the operator's subgraph list (`npm run compose`, and `serve` when `providers.subgraphs` is absent)", 'x-env': 'JG_SUBGRAPHS', 'x-path': true }),
  supergraphFile: setting(text('a file').default('supergraph/supergraph.graphql'), { description: 'the composed supergraph (`npm run compose` writes it, `npm run gateway` serves it)', 'x-env': 'JG_SUPERGRAPH', 'x-path': true }),
  timeoutMs: setting(wholeNumber(1, 600_000).default(5_000), { description: "a provider's timeout when its entry gives none", 'x-env': 'JG_SUBGRAPH_TIMEOUT_MS' }),
  probeIntervalMs: setting(wholeNumber(0, 3_600_000).default(15_000), { description: 'provider probes for the availability measure (0: only on `/health`)', 'x-env': 'JG_PROBE_INTERVAL_MS' }),
});

const city = z.strictObject({
  seed: setting(wholeNumber(0, 2 ** 31 - 1).default(20_261_126), { description: "the synthetic city's seed", 'x-env': 'JG_SEED' }),
  persons: setting(wholeNumber(10, 50_000_000).default(10_000), { description: 'residents of the synthetic city', 'x-env': 'JG_PERSONS' }),
  enterprises: setting(wholeNumber(10, 10_000_000).optional(), { description: 'enterprises of the synthetic city', 'x-env': 'JG_ENTERPRISES', 'x-default': 'persons ÷ 5' }),
});

const jwt = z.strictObject({
  secret: setting(text('a secret').optional(), { description: 'HS256 secret for app tokens', 'x-env': 'JG_JWT_SECRET' }),
  jwksUrl: setting(httpUrl.optional(), { description: 'RS256 key set, by URL', 'x-env': 'JG_JWT_JWKS_URL' }),
  jwksFile: setting(text('a file').optional(), { description: 'RS256 key set, from a file', 'x-env': 'JG_JWT_JWKS_FILE', 'x-path': true }),
  maxLifetimeS: setting(wholeNumber(60, 86_400).default(3_600), { description: "the longest lifetime (`exp − iat`) an app's token may have, in seconds", 'x-env': 'JG_JWT_MAX_LIFETIME_S' }),
});

const authorization = z.strictObject({
  mode: setting(oneOf(AUTHORIZATION_MODES).default('enforce'), { description: '`enforce`, `reject`, `dry-run`, or `off` (plain federation: no labels, grants or audit; a warning at start-up)', 'x-env': 'JG_AUTHZ_MODE' }),
  labelsFile: setting(text('a file').default('supergraph/labels.json'), { description: 'the label overlay', 'x-env': 'JG_LABELS', 'x-path': true }),
  appsFile: setting(text('a file').default('supergraph/apps.json'), { description: 'apps, admin parties and the JWT issuer/audience', 'x-env': 'JG_APPS', 'x-path': true }),
  stateDir: setting(text('a folder').optional(), { description: 'the grant store, the other control-plane stores and the audit trail (SQLite); with `stores.postgres`, only the instance lock (the stores and the trail are in PostgreSQL)', 'x-env': 'JG_STATE_DIR', 'x-default': '`<server.dataDir>/state`', 'x-path': true }),
  replyWorkingDays: setting(wholeNumber(1, 60).default(5), { description: "the reply deadline for applications, in working days of mainland China's official calendar (Asia/Shanghai days)", 'x-env': 'JG_REPLY_WORKING_DAYS' }),
  objectionWorkingDays: setting(wholeNumber(1, 60).default(5), { description: 'the reply deadline for data objections, on the same calendar', 'x-env': 'JG_OBJECTION_WORKING_DAYS' }),
  extraHolidays: setting(isoDates.default([]), { description: "dates (`2026-11-18`) taken off besides mainland China's official calendar, for both reply deadlines; comma-separated in the variable", 'x-env': 'JG_EXTRA_HOLIDAYS' }),
  extraWorkdays: setting(isoDates.default([]), { description: 'dates worked besides the official calendar; a date in both lists is refused', 'x-env': 'JG_EXTRA_WORKDAYS' }),
  jwt: jwt.prefault({}),
});

const audit = z.strictObject({
  archiveAfterDays: setting(wholeNumber(1, 36_500).default(30), { description: 'audit records older than this move to gzipped archive segments (at gateway start, hourly, and by `npm run audit:archive`)', 'x-env': 'JG_AUDIT_ARCHIVE_AFTER_DAYS' }),
  retentionDays: setting(wholeNumber(0, 36_500).default(0), { description: 'archived segments whose newest record is older than this are deleted; `0` keeps them forever; else at least `audit.archiveAfterDays`', 'x-env': 'JG_AUDIT_RETENTION_DAYS' }),
  archiveDir: setting(text('a folder').optional(), { description: 'where the archive segments are kept', 'x-env': 'JG_AUDIT_ARCHIVE_DIR', 'x-default': '`<authorization.stateDir>/audit-archive`', 'x-path': true }),
  keyFile: setting(text('a file').optional(), {
    description: 'the Ed25519 key that signs audit checkpoints, created (mode 0600) at the first start with its public key beside it; `checkpoints.jsonl` (with `stores.postgres`: `checkpoints-<replica id>.jsonl`, copies of the shared trail\'s checkpoints) is kept in the same folder; refused in or under the state folder; with `stores.postgres` every replica must hold the same key, or it does not start',
    'x-env': 'JG_AUDIT_KEY_FILE',
    'x-default': '`keys/audit-signing.pem` in `server.dataDir`',
    'x-path': true,
  }),
  checkpointRecords: setting(wholeNumber(1, 1_000_000).default(1_000), { description: 'a signed audit checkpoint after this many records since the last one (`1`: at every group commit)', 'x-env': 'JG_AUDIT_CHECKPOINT_RECORDS' }),
  checkpointSeconds: setting(wholeNumber(1, 86_400).default(60), { description: 'and every this many seconds when anything changed', 'x-env': 'JG_AUDIT_CHECKPOINT_SECONDS' }),
});

const cache = z.strictObject({
  enabled: setting(z.boolean({ error: 'expected true or false (on or off in the variable)' }).default(false), { description: 'the response cache (`on`/`off` in the variable)', 'x-env': 'JG_CACHE' }),
  policyFile: setting(text('a file').default('supergraph/cache-policy.json'), { description: "the cache's policy", 'x-env': 'JG_CACHE_POLICY', 'x-path': true }),
});

const stores = z.strictObject({
  redis: setting(redisUrl.optional(), {
    description: 'Redis shared by replicas (`redis://127.0.0.1:6379/0`): the response cache and the rate-limit counters live there; without it, in each process',
    'x-env': 'JG_REDIS_URL',
  }),
  postgres: setting(postgresUrl.optional(), {
    description: 'PostgreSQL shared by replicas (`postgres://postgres@127.0.0.1:5432/test`): grants, apps, keys, principals, the schema registry, objections, registered operations and the audit trail (access and decision records) live there, and changes reach every replica through it; without it, SQLite files in the state folder',
    'x-env': 'JG_POSTGRES_URL',
  }),
  postgresSchema: setting(
    z.string({ error: 'expected a schema name (lower-case letters, digits and _)' }).regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'expected a schema name (lower-case letters, digits and _)' }).default('jointgraph'),
    { description: 'the PostgreSQL schema the shared stores live in; created, and migrated, at start', 'x-env': 'JG_POSTGRES_SCHEMA' },
  ),
  replicaId: setting(
    z.string({ error: 'expected a replica id (letters, digits, `.`, `_`, `:` and `-`)' }).regex(/^[A-Za-z0-9._:-]{1,100}$/, { error: 'expected a replica id (letters, digits, `.`, `_`, `:` and `-`)' }).optional(),
    {
      description: "this replica's own chain of access records in the shared audit trail (with `stores.postgres`), and the name of its checkpoint copies beside the audit key; a replica started with an id a live replica holds does not start",
      'x-env': 'JG_REPLICA_ID',
      'x-default': '`<host name>:<server.port>`; with port 0, a new one at each start',
    },
  ),
});

const registry = z.strictObject({
  requireOperatorApproval: setting(z.boolean({ error: 'expected true or false (on or off in the variable)' }).default(false), { description: "a provider's publication waits (PENDING) until an operator approves it (`on`/`off` in the variable)", 'x-env': 'JG_REGISTRY_REQUIRE_APPROVAL' }),
  usageWindowDays: setting(wholeNumber(1, 3_650).default(90), { description: 'a publication that removes or retypes a field used within this many days (per the audit trail) is refused', 'x-env': 'JG_REGISTRY_USAGE_WINDOW_DAYS' }),
});

const telemetry = z.strictObject({
  logLevel: setting(oneOf(LOG_LEVELS).default('info'), { description: "the gateway's JSON log: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`", 'x-env': 'JG_LOG_LEVEL' }),
  otlpEndpoint: setting(httpUrl.optional(), { description: 'the OTLP/HTTP collector traces are sent to (`http://collector:4318`); no traces without it', 'x-env': 'JG_OTLP_ENDPOINT', 'x-env-fallback': 'OTEL_EXPORTER_OTLP_ENDPOINT' }),
});

const fairUse = z.strictObject({
  requestsPerMinute: setting(wholeNumber(1, 100_000_000).default(60_000), { description: "requests a minute per app, for an app whose registry entry sets no limit of its own (`429 RATE_LIMITED` past it)", 'x-env': 'JG_FAIR_USE_RPM' }),
  concurrent: setting(wholeNumber(1, 1_000_000).default(64), { description: 'requests in flight per app at once, for an app whose registry entry sets none', 'x-env': 'JG_FAIR_USE_CONCURRENT' }),
  perAddressRequestsPerMinute: setting(wholeNumber(1, 100_000_000).default(60_000), { description: 'requests a minute per client address, when authorization is off (plain federation knows no apps)', 'x-env': 'JG_FAIR_USE_ADDRESS_RPM' }),
  perAddressConcurrent: setting(wholeNumber(1, 1_000_000).default(64), { description: 'requests in flight per client address at once, when authorization is off', 'x-env': 'JG_FAIR_USE_ADDRESS_CONCURRENT' }),
});

const signInName = (what: string) => z.string({ error: `expected ${what}` }).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: `expected ${what} (letters, digits, ".", "_", ":" and "-")` });

/** What an identity provider group gives a principal: a party (or none: the party claim decides) and roles. */
const signInGroup = z.strictObject({
  party: signInName('a party: "operator" or a provider\'s subgraph name').optional(),
  roles: z.array(signInName('a role: approver, auditor, maintainer, label-editor or publisher'), { error: 'expected a list of roles' }).default([]),
});

const signIn = z
  .strictObject({
    issuer: setting(httpUrl.optional(), { description: 'the OpenID Connect provider the people of the operator and the departments sign in to the console with (its `/.well-known/openid-configuration` is read at the first sign-in); without it, sign-in is by token only', 'x-env': 'JG_OIDC_ISSUER' }),
    clientId: setting(text('a client id').optional(), { description: "the gateway's client id at the provider; needed with `signIn.issuer`", 'x-env': 'JG_OIDC_CLIENT_ID' }),
    clientSecret: setting(text('a secret').optional(), { description: 'its client secret; without one the gateway is a public client (PKCE alone)', 'x-env': 'JG_OIDC_CLIENT_SECRET' }),
    redirectUrl: setting(httpUrl.optional(), { description: "the gateway's `/auth/callback` as browsers reach it, registered at the provider; needed with `signIn.issuer`; an https URL makes the session cookie `Secure`", 'x-env': 'JG_OIDC_REDIRECT_URL' }),
    scopes: setting(z.array(text('a scope'), { error: 'expected a list of scopes' }).default(['openid', 'profile']), { description: 'the scopes asked for (`openid` is always added)', 'x-env': 'JG_OIDC_SCOPES' }),
    idClaim: setting(text('a claim name').default('preferred_username'), { description: "the claim that names the principal within its party (`party/id` on the trail); the subject (`sub`) when the claim is missing", 'x-env': 'JG_OIDC_ID_CLAIM' }),
    partyClaim: setting(text('a claim name').optional(), { description: "the claim that names the principal's party (`department`), translated by `signIn.parties`; without it, the groups name the party", 'x-env': 'JG_OIDC_PARTY_CLAIM' }),
    parties: setting(z.record(text('a claim value'), signInName('a party: "operator" or a provider\'s subgraph name'), { error: 'expected a mapping of claim values to parties' }).default({}), {
      description: "the party claim's values and the party each means (`{\"tax-bureau\": \"tax\"}`); a value not listed is the party's own name",
    }),
    groupsClaim: setting(text('a claim name').default('groups'), { description: "the claim that lists the principal's groups", 'x-env': 'JG_OIDC_GROUPS_CLAIM' }),
    groups: setting(z.record(text('a group name'), signInGroup, { error: 'expected a mapping of groups to {party?, roles}' }).default({}), {
      description: 'the groups the gateway knows, and the roles (and the party) each gives (`{"jg-operator-publishers": {"party": "operator", "roles": ["publisher"]}}`); a principal with no party or no role is refused (`SIGN_IN_NOT_MAPPED`)',
    }),
    sessionSeconds: setting(wholeNumber(300, 86_400).default(28_800), { description: "a console session's lifetime from sign-in, in seconds; checked by the gateway on every request", 'x-env': 'JG_SESSION_SECONDS' }),
    sessionSecret: setting(z.string({ error: 'expected a secret of at least 32 characters' }).min(32, { error: 'expected a secret of at least 32 characters' }).optional(), {
      description: 'the secret the session cookie is encrypted and authenticated with; replicas share it; without it, a random one per process (a restart signs everyone out)',
      'x-env': 'JG_SESSION_SECRET',
    }),
  })
  .superRefine((config, ctx) => {
    if (!config.issuer) return;
    for (const needed of ['clientId', 'redirectUrl'] as const) {
      if (!config[needed]) ctx.addIssue({ code: 'custom', params: WHOLE, path: [needed], message: `expected {signIn.${needed}} with {signIn.issuer}` });
    }
  });

/** Sign-in through an OpenID Connect provider, as configured (set only with `signIn.issuer`). */
export type SignInConfiguration = z.output<typeof signIn> & { issuer: string; clientId: string; redirectUrl: string };

const notifications = z
  .strictObject({
    reminderWorkingDays: setting(wholeNumber(0, 20).default(1), { description: 'an application, objection or demand whose answer is due within this many working days reminds the party that owes it (once); past its deadline, that party is told and the operator gets an escalation (once)', 'x-env': 'JG_REMINDER_WORKING_DAYS' }),
    checkSeconds: setting(wholeNumber(1, 86_400).default(300), { description: 'how often the deadlines are looked at for reminders and escalations', 'x-env': 'JG_REMINDER_CHECK_SECONDS' }),
    webhookAttempts: setting(wholeNumber(1, 50).default(8), { description: 'attempts per webhook or email delivery at most, the first included; each is kept in the delivery log', 'x-env': 'JG_DELIVERY_ATTEMPTS' }),
    retrySeconds: setting(wholeNumber(1, 86_400).default(30), { description: 'the wait before a failed delivery is tried again, doubled for each next attempt (an hour at most)', 'x-env': 'JG_DELIVERY_RETRY_SECONDS' }),
    smtpHost: setting(text('a host name').optional(), { description: 'the SMTP server notices are emailed through, to the principals who chose email; no email without it', 'x-env': 'JG_SMTP_HOST' }),
    smtpPort: setting(wholeNumber(1, 65_535).default(587), { description: "the SMTP server's port", 'x-env': 'JG_SMTP_PORT' }),
    smtpSecure: setting(z.boolean({ error: 'expected true or false (on or off in the variable)' }).default(false), { description: 'TLS from the first byte (port 465); otherwise STARTTLS when the server offers it (`on`/`off` in the variable)', 'x-env': 'JG_SMTP_SECURE' }),
    smtpUser: setting(text('a user name').optional(), { description: 'the SMTP user, when the server asks for one', 'x-env': 'JG_SMTP_USER' }),
    smtpPassword: setting(text('a password').optional(), { description: "the SMTP user's password", 'x-env': 'JG_SMTP_PASSWORD' }),
    emailFrom: setting(text('an address').default('jointgraph@localhost'), { description: 'the sender of notice emails', 'x-env': 'JG_EMAIL_FROM' }),
  });

const group = <T extends z.ZodObject>(schema: T) => schema.prefault({} as z.input<T>);

export const configurationSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'the JSON Schema this file follows, for editors' }),
    server: group(server),
    fairUse: group(fairUse),
    providers: group(providers),
    city: group(city),
    authorization: group(authorization),
    audit: group(audit),
    cache: group(cache),
    stores: group(stores),
    registry: group(registry),
    telemetry: group(telemetry),
    signIn: group(signIn),
    notifications: group(notifications),
  })
  .superRefine((config, ctx) => {
    const { retentionDays, archiveAfterDays } = config.audit;
    if (retentionDays > 0 && retentionDays < archiveAfterDays) {
      ctx.addIssue({ code: 'custom', params: WHOLE, path: ['audit', 'retentionDays'], message: `expected 0 (keep archived audit records forever) or at least {audit.archiveAfterDays} (${archiveAfterDays}), got "${retentionDays}"` });
    }
    const both = config.authorization.extraHolidays.filter((d) => config.authorization.extraWorkdays.includes(d));
    if (both.length > 0) ctx.addIssue({ code: 'custom', params: WHOLE, path: ['authorization', 'extraWorkdays'], message: `expected no date also in {authorization.extraHolidays}, got ${both.join(', ')} in both` });
    const { workers } = config.server;
    if (workers !== undefined && workers > 1) {
      // Workers share state as replicas do: one store and one set of fair-use counters, not one per process.
      const missing = [!config.stores.postgres && '{stores.postgres}', !config.stores.redis && '{stores.redis}'].filter(Boolean);
      if (missing.length > 0) ctx.addIssue({ code: 'custom', params: WHOLE, path: ['server', 'workers'], message: `expected 1 without ${missing.join(' and ')}, got "${workers}": workers share the audit trail, the grants and the fair-use counters as replicas do` });
      if (config.providers.sample) ctx.addIssue({ code: 'custom', params: WHOLE, path: ['server', 'workers'], message: `expected 1 with {providers.sample} (the sample platform runs one gateway under its supervisor), got "${workers}"` });
    }
  });

export type Configuration = z.output<typeof configurationSchema>;

/** A file's JSON Schema (what may be written in it), for editors and for `npm run config:schema`. */
export function fileJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** The configuration's JSON Schema, for editors and for `npm run config:schema`. */
export function configurationJsonSchema(): Record<string, unknown> {
  return fileJsonSchema(configurationSchema);
}
