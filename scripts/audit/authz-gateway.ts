// Audit entry (mode "authz"): JointGraph's gateway on one federation-audit suite's supergraph
// WITH the authorization pipeline on: labels, joint grants and the audit trail, mode 'enforce'.
// At start-up it writes, into WORK (default: a fresh temporary directory):
//   labels.json  an overlay labelling every field of every object and interface type UNCONDITIONAL,
//   apps.json    one demo app with a fresh API key,
//   state/       fresh grant, audit-trail and objection stores.
// The audit's requests carry no credentials: /graphql requests without them get the demo app's
// x-api-key and an x-jointgraph-purpose header (only here, never in the product).
// Usage (compiled by npm run build): node dist/scripts/audit/authz-gateway.js --supergraph FILE [--port N] [--host H] [--work DIR]

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kind, parse } from 'graphql';
import { isDataType } from '../../directives/index.ts';
import { openAuthorization } from '../../server/authorization.ts';
import { openControlPlane } from '../../server/control-plane.ts';
import { PURPOSE_HEADER } from '../../supergraph/gateway/authorization-stage.ts';
import { createGateway } from '../../supergraph/gateway/index.ts';
import { admitPurpose, sha256 } from '../../supergraph/identity/index.ts';

const DEMO_APP = 'federation-audit';
const DEMO_PURPOSE = 'federation-gateway-audit';
const GRAPHQL_PATH = '/graphql';

// Checked here so that a purpose the grammar refuses stops this gateway at start-up, with the
// reason in the suite's gateway log, instead of failing every case.
const admitted = admitPurpose({ appId: DEMO_APP, name: DEMO_APP, department: 'Audit', roles: ['auditor'], district: null }, DEMO_PURPOSE, 'The audit purpose');
if (!('purpose' in admitted)) throw new Error(`[${admitted.code}] ${admitted.message}`);

const { values } = parseArgs({
  options: { supergraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, work: { type: 'string' } },
  strict: true,
  allowPositionals: false,
});
if (!values.supergraph) throw new Error('--supergraph FILE is required');
const supergraphSdl = readFileSync(values.supergraph, 'utf8');
const port = Number(values.port ?? 4000);
const host = values.host ?? '127.0.0.1';

/** `Type.field` of every field of every object and interface type (definitions and extensions). */
function everyField(sdl: string): string[] {
  const coordinates = new Set<string>();
  for (const def of parse(sdl).definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) continue;
    if (!isDataType(def.name.value)) continue;
    for (const field of def.fields ?? []) coordinates.add(`${def.name.value}.${field.name.value}`);
  }
  return [...coordinates].sort();
}

const work = resolve(values.work ?? mkdtempSync(join(tmpdir(), 'jointgraph-audit-authz-')));
mkdirSync(work, { recursive: true });
const labelsFile = join(work, 'labels.json');
const appsFile = join(work, 'apps.json');
const stateDir = join(work, 'state');

const label = { sharing: 'UNCONDITIONAL', grade: 'GENERAL', category: 'audit.open', note: 'federation audit: every field open' };
writeFileSync(labelsFile, JSON.stringify({ labels: Object.fromEntries(everyField(supergraphSdl).map((c) => [c, label])) }, null, 2));

const apiKey = `audit-${randomBytes(24).toString('hex')}`;
writeFileSync(
  appsFile,
  JSON.stringify(
    {
      jwt: { issuer: 'https://idp.audit.invalid', audience: 'jointgraph' },
      apps: [{ id: DEMO_APP, name: 'Federation gateway audit', department: 'Audit', roles: ['auditor'], apiKeySha256: sha256(apiKey) }],
      admins: [],
    },
    null,
    2,
  ),
);

const authorization = openAuthorization(supergraphSdl, { labelOverlayFile: labelsFile, appsFile, stateDir, mode: 'enforce', replyWorkingDays: 5 }, await openControlPlane({ stateDir }, (error) => console.error(error)));
const closed = [...authorization.catalog.fields.values()].filter((f) => f.label.sharing !== 'UNCONDITIONAL');
if (closed.length > 0) throw new Error(`fields not UNCONDITIONAL under the audit overlay: ${closed.map((f) => f.coordinate).join(', ')}`);

// The same limits `npm run gateway` applies by default.
const gateway = await createGateway({
  supergraphSdl,
  defaultTimeoutMs: 5_000,
  healthTimeoutMs: 2_000,
  bodyLimitBytes: 1_048_576,
  authorization: authorization.options,
  admin: { registry: authorization.registry },
});

// Credentials and a purpose for the audit's anonymous requests.
gateway.addHook('onRequest', async (request) => {
  if (request.routeOptions.url !== GRAPHQL_PATH) return;
  const headers = request.raw.headers;
  if (headers['x-api-key'] === undefined && headers.authorization === undefined) headers['x-api-key'] = apiKey;
  if (headers[PURPOSE_HEADER] === undefined) headers[PURPOSE_HEADER] = DEMO_PURPOSE;
});

const address = await gateway.listen({ host, port });
console.log(`JointGraph gateway (authorization on: ${authorization.catalog.fields.size} fields UNCONDITIONAL, app ${DEMO_APP}, state ${stateDir}) at ${address}${GRAPHQL_PATH}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void gateway.close().finally(() => {
    authorization.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
