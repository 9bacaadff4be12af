// Every command line JointGraph offers, as the tables their help and parsing are made from
// (cli/usage.ts): the `jointgraph` command and its subcommands, and the npm run commands. Kept
// apart from the commands themselves so that --help loads nothing else.

import { ADMIN_COMMANDS } from './admin-commands.ts';
import { defineCommand, type Command, type Flag } from './usage.ts';

const file = <const M extends Partial<Flag> = Record<never, never>>(description: string, more: M = {} as M) => ({ type: 'string', value: 'FILE', description, ...more }) as const;

const SETTINGS = 'the platform\'s configuration (YAML or JSON; JG_* variables override it)';

/** The platform's settings: that file, else JG_CONFIG; JG_* variables override either. */
const CONFIG_FLAG = { config: file(SETTINGS, { default: 'JG_CONFIG, else the built-in defaults' }) } as const;

const LISTEN = {
  port: { type: 'string', value: 'N', description: 'the port to listen on (stands for JG_PORT)', default: 'server.port, 4000' },
  host: { type: 'string', value: 'HOST', description: 'the address to listen on (stands for JG_HOST)', default: 'server.host, 127.0.0.1' },
} as const satisfies Record<string, Flag>;

export const SERVE = defineCommand({
  name: 'jointgraph serve',
  also: 'npm run serve --',
  summary: 'serve the gateway one configuration describes, in front of the providers it lists',
  flags: {
    config: file(SETTINGS, { required: true }),
    supergraph: file('serve this composed supergraph rather than composing the providers\' live schemas', { default: 'compose them at start' }),
    ...LISTEN,
  },
});

export const GATEWAY = defineCommand({
  name: 'npm run gateway --',
  summary: '`jointgraph serve` with config/gateway.yaml, serving the composed supergraph file in front of the subgraphs it names',
  flags: {
    config: file(SETTINGS, { default: 'config/gateway.yaml' }),
    supergraph: file('the composed supergraph to serve', { default: 'providers.supergraphFile, supergraph/supergraph.graphql' }),
    ...LISTEN,
  },
});

export const START = defineCommand({
  name: 'npm start',
  summary: 'the zero-configuration demo: five supervised sample providers and the gateway in front of them (config/sample-city.yaml; JG_* variables override it); Ctrl-C stops all',
  flags: {},
});

export const PROVIDERS = defineCommand({
  name: 'npm run providers --',
  summary: 'the sample departments (and the example housing department) on their own, each in a supervised process, for a gateway started separately',
  flags: { ...CONFIG_FLAG, only: { type: 'string', value: 'NAME,NAME', description: 'start only these providers (an unknown name is refused with the list)', default: 'all of them' } },
});

export const COMPOSE = defineCommand({
  name: 'jointgraph compose',
  also: 'npm run compose --',
  summary: 'compose the operator\'s subgraph list into the supergraph file, and report on the fields\' labels',
  flags: {
    ...CONFIG_FLAG,
    list: file('the subgraph list', { default: 'providers.subgraphsFile, supergraph/subgraphs.json' }),
    out: file('where to write the supergraph', { default: 'providers.supergraphFile, supergraph/supergraph.graphql' }),
    labels: file('the label overlay', { default: 'authorization.labelsFile, supergraph/labels.json' }),
    live: { type: 'boolean', description: 'read every SDL from the running subgraph, signed as the registry when the platform has a key', default: 'each entry\'s sdlFile where it names one' },
  },
});

const TRAIL = file('the audit trail (SQLite)', { default: 'audit.db in the state folder (JG_STATE_DIR)' });
/** Verifying and exporting also work on the trail replicas share on PostgreSQL. */
const ANY_TRAIL = { ...TRAIL, default: `${TRAIL.default}; with stores.postgres, the trail the replicas share` };
const ARCHIVE = { type: 'string', value: 'DIR', description: 'the archive of gzipped segments', default: 'JG_AUDIT_ARCHIVE_DIR, else audit-archive beside the trail' } as const satisfies Flag;

export const AUDIT_VERIFY = defineCommand({
  name: 'npm run audit:verify --',
  summary: 'check the audit trail (archived segments, records, recipients index, decisions) against the signed checkpoints and the providers\' countersignatures; exit 1 if broken',
  flags: {
    ...CONFIG_FLAG,
    file: ANY_TRAIL,
    dir: ARCHIVE,
    'public-key': file('the audit key\'s public key', { default: 'beside the signing key (JG_AUDIT_KEY_FILE)' }),
    checkpoints: file('the signed checkpoints', { default: 'beside the signing key' }),
    checkpoint: file('a checkpoint from audit:export, with its public key: verifies without the key folder'),
    providers: { type: 'string', value: 'DIR', description: 'where the providers keep their countersigning keys (keys/providers/) and copies (access/)', default: 'server.dataDir (JG_DATA_DIR)' },
    json: { type: 'boolean', description: 'print the verdict as JSON', default: 'text' },
  },
});

export const AUDIT_EXPORT = defineCommand({
  name: 'npm run audit:export --',
  summary: 'sign a checkpoint of the audit trail now and write it with the public key, for an auditor to verify a copy without the key folder',
  flags: {
    ...CONFIG_FLAG,
    file: ANY_TRAIL,
    out: file('where to write the checkpoint (needed unless --public-key)'),
    'public-key': { type: 'boolean', description: 'print the audit key\'s public key only', default: 'export a checkpoint' },
  },
});

export const AUDIT_ARCHIVE = defineCommand({
  name: 'npm run audit:archive --',
  summary: 'run the audit retention job once: records past audit.archiveAfterDays move to gzipped segments, segments past audit.retentionDays are deleted',
  flags: { ...CONFIG_FLAG, file: TRAIL, dir: ARCHIVE },
});

export const CONFIG_SCHEMA = defineCommand({
  name: 'npm run config:schema',
  summary: 'write the JSON Schemas of the configuration and the operator\'s files (config/*.schema.json) and the configuration reference in docs/configuration.md',
  flags: {},
});

const ADMIN_FLAGS = {
  ...CONFIG_FLAG,
  endpoint: { type: 'string', value: 'URL', description: 'the admin endpoint', default: 'http://127.0.0.1:<server.port>/admin/graphql' },
  url: { type: 'string', value: 'URL', description: 'the admin endpoint, as --endpoint (publish: the subgraph\'s URL)' },
  token: { type: 'string', value: 'TOKEN', description: 'an admin or principal token (operators, providers)' },
  'api-key': { type: 'string', value: 'KEY', description: 'a requesting app\'s API key' },
} as const satisfies Record<string, Flag>;

export const ADMIN = defineCommand({
  name: 'jointgraph admin',
  also: 'npm run admin --',
  summary: 'the admin endpoint from the command line (grants, audit, apps and keys, publications, principals); prints its JSON answer',
  flags: ADMIN_FLAGS,
  subcommands: Object.fromEntries(Object.entries(ADMIN_COMMANDS).map(([name, c]): [string, Command] => [
    name,
    { name: `jointgraph admin ${name}`, also: `npm run admin -- ${name}`, summary: c.summary, ...(c.arg ? { args: [c.arg] } : {}), flags: { ...ADMIN_FLAGS, ...c.flags } },
  ])),
});

export const PROVIDER_CHECK = defineCommand({
  name: 'jointgraph provider-check',
  summary: 'probe a provider with calls the protocol says it must refuse and report what it accepted (docs/provider-protocol.md); exit 0 when every probe passes, 1 when one fails, 2 when the check cannot run',
  args: [{ name: 'URL', description: 'the provider\'s GraphQL endpoint, as the gateway calls it (http://tax.internal:4004/graphql)' }],
  flags: {
    name: { type: 'string', value: 'SUBGRAPH', description: 'its subgraph name, the audience of the assertions it accepts (tax)', required: true },
    key: file('a private Ed25519 JWK the provider trusts as it trusts the gateway\'s (the operator\'s registry key)', { required: true }),
    json: { type: 'boolean', description: 'the report as JSON', default: 'a table' },
  },
});

export const JOINTGRAPH = defineCommand({
  name: 'jointgraph',
  summary: 'the JointGraph command: serve the gateway, compose the supergraph, act through the admin endpoint, check a provider',
  flags: {},
  subcommands: { serve: SERVE, compose: COMPOSE, admin: ADMIN, 'provider-check': PROVIDER_CHECK },
});

/** Each program in dist/cli/ people run, by file name: what the help test walks. */
export const PROGRAMS: Readonly<Record<string, Command>> = {
  jointgraph: JOINTGRAPH, admin: ADMIN, compose: COMPOSE, gateway: GATEWAY, providers: PROVIDERS, start: START,
  'audit-verify': AUDIT_VERIFY, 'audit-export': AUDIT_EXPORT, 'audit-archive': AUDIT_ARCHIVE, 'config-schema': CONFIG_SCHEMA,
};
