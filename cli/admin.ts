// npm run admin -- <command>: the admin endpoint from the command line, for operators,
// providers (--token) and requesting apps (--api-key). Prints the endpoint's JSON answer.
//
//   applications [--status PENDING]        application ID         overdue
//   apply --coordinates A,B | --selector S --purpose P --basis B --expires ISO [--row-scope OWN_DISTRICT]
//   approve ID [--note N]   refuse ID --reason R   revoke ID --reason R
//   labels    recipients COORDINATE [--from ISO] [--to ISO]    verify-audit
//   access-records [--app ID] [--purpose P] [--coordinate C] [--provider P] [--request-id R] [--from ISO] [--to ISO]
//   quality   objections [--status OPEN]   object COORDINATE --key K --observed V --comment C [--evidence E]
//   answer-objection ID --decision CONFIRMED|REJECTED --reason R [--corrected V]   purge [--type T [--key K]] [--coordinate C]
//   apps   create-app ID --department D [--name N] [--roles A,B] [--district D] [--purposes A,B] [--limits JSON]
//   issue-key APP   rotate-key APP [--grace SECONDS]   revoke-key APP --key-id K      (operator maintainers)
//   publish NAME --url SUBGRAPH_URL --sdl-file FILE [--endpoint ADMIN_URL]   versions [NAME]   diff NAME --from V --to V   (publishers)
//   pending-publications   approve-publication NAME --version V   refuse-publication NAME --version V --reason R   (operator; owners of fields taken)
//   rollback NAME --version V   reload-labels       (operator)
//   principals [--party P]   create-principal ID --party P --kind person|service --roles A,B [--name N]
//   issue-principal-token ID --party P   remove-principal ID --party P       (maintainers)
//   --config FILE (or JG_CONFIG) reads the gateway's port from the platform's configuration.

import { readFileSync } from 'node:fs';
import { cliSettings, CONFIG_FLAG, commandArgs } from './args.ts';

const APPLICATION = 'id appId purpose coordinates rowScope status expiresAt filedAt replyDeadline parties { party decision reason answeredAt answeredBy }';
const APP = 'id name department roles district purposes operations origins limits { requestsPerMinute concurrent maxCost } keys { keyId live notAfter }';
const ISSUED = 'appId keyId key retired { keyId notAfter }';
const PRINCIPAL = 'party id name kind roles';
const VERSION = 'subgraph version url publishedBy publishedAt status decisions { party decision decidedBy decidedAt reason }';
const PUBLISHED = `version { ${VERSION} } diff { added removed changed { coordinate from to } } unlabeled labelConflicts derivedFromNotShared
  ownershipChanges { coordinate change owners to readBy apps grants } awaiting`;
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim());

/** The commands, as this file's opening comment lists them. */
const USAGE = `npm run admin -- <command> [--config FILE] [--url URL | --endpoint URL] [--token T | --api-key K]\n${readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//   ')).map((l) => l.slice(2)).join('\n')}`;

const { values, positionals } = commandArgs(
  {
    url: { type: 'string' }, token: { type: 'string' }, 'api-key': { type: 'string' }, status: { type: 'string' },
    coordinates: { type: 'string' }, selector: { type: 'string' }, purpose: { type: 'string' }, basis: { type: 'string' },
    expires: { type: 'string' }, 'row-scope': { type: 'string' }, note: { type: 'string' }, reason: { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, app: { type: 'string' },
    key: { type: 'string' }, observed: { type: 'string' }, comment: { type: 'string' }, evidence: { type: 'string' },
    decision: { type: 'string' }, corrected: { type: 'string' }, type: { type: 'string' }, coordinate: { type: 'string' },
    department: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, district: { type: 'string' },
    purposes: { type: 'string' }, limits: { type: 'string' }, grace: { type: 'string' }, 'key-id': { type: 'string' },
    'sdl-file': { type: 'string' }, version: { type: 'string' }, endpoint: { type: 'string' }, party: { type: 'string' },
    kind: { type: 'string' }, provider: { type: 'string' }, 'request-id': { type: 'string' }, ...CONFIG_FLAG,
  },
  USAGE,
);

const [command, target] = positionals;
const requests: Record<string, () => [string, Record<string, unknown>]> = {
  applications: () => [`query($s: ApplicationStatus) { applications(status: $s) { ${APPLICATION} } }`, { s: values.status }],
  application: () => [`query($id: ID!) { application(id: $id) { ${APPLICATION} revokedAt revokedBy revokeReason } }`, { id: target }],
  overdue: () => [`{ overdueApplications { waitingFor application { ${APPLICATION} } } }`, {}],
  apply: () => [
    `mutation($input: ApplyInput!) { apply(input: $input) { ${APPLICATION} } }`,
    {
      input: {
        ...(values.coordinates ? { coordinates: values.coordinates.split(',').map((c) => c.trim()) } : {}),
        ...(values.selector ? { selector: values.selector } : {}),
        purpose: values.purpose, basis: values.basis, expiresAt: values.expires,
        ...(values['row-scope'] ? { rowScope: values['row-scope'] } : {}),
      },
    },
  ],
  approve: () => [`mutation($id: ID!, $note: String) { approve(id: $id, note: $note) { ${APPLICATION} } }`, { id: target, note: values.note }],
  refuse: () => [`mutation($id: ID!, $reason: String!) { refuse(id: $id, reason: $reason) { ${APPLICATION} } }`, { id: target, reason: values.reason ?? '' }],
  revoke: () => [`mutation($id: ID!, $reason: String!) { revoke(id: $id, reason: $reason) { ${APPLICATION} revokedAt revokeReason } }`, { id: target, reason: values.reason ?? '' }],
  labels: () => ['{ labels { coordinate owners sharing grade level category pii basis source } }', {}],
  recipients: () => [
    'query($c: String!, $from: String, $to: String) { recipients(coordinate: $c, from: $from, to: $to) { seq at appId department purpose returned } }',
    { c: target, from: values.from, to: values.to },
  ],
  'access-records': () => [
    `query($app: String, $p: String, $c: String, $pr: String, $r: String, $f: String, $t: String) {
      accessRecords(appId: $app, purpose: $p, coordinate: $c, provider: $pr, requestId: $r, from: $f, to: $t, last: 10) { seq at requestId appId purpose returned denied providers entities outcome status } }`,
    { app: values.app, p: values.purpose, c: values.coordinate, pr: values.provider, r: values['request-id'], f: values.from, t: values.to },
  ],
  quality: () => [
    `{ qualityReport { generatedAt responsibility { provider operator }
        providers { name owner source { updatedAt ageSeconds fastestDeclaredCycle withinCycle } service { requests errorRate timeouts unavailable latencyMs { p50 p95 p99 } availability } }
        fields { coordinate provider declared { updateCycle completeness standard } measured { samples nullRate completenessMet maxAgeSeconds staleValues } }
        overdueObjections { id coordinate entityKey deadline } } }`,
    {},
  ],
  objections: () => ['query($s: ObjectionStatus) { objections(status: $s) { id coordinate entityKey observedValue comment appId filedAt deadline status answeredBy reason correctedValue } }', { s: values.status }],
  object: () => [
    'mutation($input: ObjectionInput!) { fileObjection(input: $input) { id coordinate entityKey status filedAt deadline } }',
    { input: { coordinate: target, key: values.key, observedValue: values.observed ?? '', comment: values.comment ?? '', evidence: values.evidence ?? null } },
  ],
  'answer-objection': () => [
    'mutation($id: ID!, $d: ObjectionDecision!, $r: String!, $c: String) { answerObjection(id: $id, decision: $d, reason: $r, correctedValue: $c) { id status answeredBy answeredAt reason correctedValue } }',
    { id: target, d: values.decision, r: values.reason ?? '', c: values.corrected ?? null },
  ],
  purge: () => [
    'mutation($t: String, $k: String, $c: String) { purgeCache(type: $t, key: $k, coordinate: $c) { removed } }',
    { t: values.type, k: values.key, c: values.coordinate },
  ],
  'verify-audit': () => ['{ verifyAuditTrail { ok records brokenAtSeq problem } }', {}],
  apps: () => [`{ apps { ${APP} } }`, {}],
  'create-app': () => [
    `mutation($input: AppInput!) { createApp(input: $input) { ${APP} } }`,
    {
      input: {
        id: target, department: values.department, name: values.name, roles: list(values.roles), district: values.district,
        purposes: list(values.purposes), ...(values.limits ? { limits: JSON.parse(values.limits) } : {}),
      },
    },
  ],
  'issue-key': () => [`mutation($a: String!) { issueKey(appId: $a) { ${ISSUED} } }`, { a: target }],
  'rotate-key': () => [`mutation($a: String!, $g: Int) { rotateKey(appId: $a, graceSeconds: $g) { ${ISSUED} } }`, { a: target, g: values.grace ? Number(values.grace) : 0 }],
  publish: () => [
    `mutation($n: String!, $u: String!, $s: String!) { publishSubgraph(name: $n, url: $u, sdl: $s) { ${PUBLISHED} } }`,
    { n: target, u: values.url ?? '', s: values['sdl-file'] ? readFileSync(values['sdl-file'], 'utf8') : '' },
  ],
  versions: () => [`query($n: String) { subgraphVersions(subgraph: $n) { ${VERSION} } }`, { n: target }],
  diff: () => ['query($n: String!, $f: Int!, $t: Int!) { subgraphDiff(subgraph: $n, from: $f, to: $t) { added removed changed { coordinate from to } } }', { n: target, f: Number(values.from), t: Number(values.to) }],
  'pending-publications': () => [`{ pendingPublications { ${PUBLISHED} } }`, {}],
  'approve-publication': () => [`mutation($n: String!, $v: Int!) { approvePublication(subgraph: $n, version: $v) { ${PUBLISHED} } }`, { n: target, v: Number(values.version) }],
  'refuse-publication': () => [
    `mutation($n: String!, $v: Int!, $r: String!) { refusePublication(subgraph: $n, version: $v, reason: $r) { ${VERSION} } }`,
    { n: target, v: Number(values.version), r: values.reason ?? '' },
  ],
  rollback: () => [`mutation($n: String!, $v: Int!) { rollbackSubgraph(subgraph: $n, version: $v) { ${PUBLISHED} } }`, { n: target, v: Number(values.version) }],
  'reload-labels': () => ['mutation { reloadLabels { digest fields unlabeled } }', {}],
  principals: () => [`query($p: String) { principals(party: $p) { ${PRINCIPAL} } }`, { p: values.party }],
  'create-principal': () => [
    `mutation($input: PrincipalInput!) { createPrincipal(input: $input) { principal { ${PRINCIPAL} } token } }`,
    { input: { id: target, party: values.party, kind: values.kind, roles: list(values.roles) ?? [], name: values.name } },
  ],
  'issue-principal-token': () => [`mutation($p: String!, $id: String!) { issuePrincipalToken(party: $p, id: $id) { principal { ${PRINCIPAL} } token } }`, { p: values.party, id: target }],
  'remove-principal': () => [`mutation($p: String!, $id: String!) { removePrincipal(party: $p, id: $id) { ${PRINCIPAL} } }`, { p: values.party, id: target }],
  'revoke-key': () => ['mutation($a: String!, $k: String!) { revokeKey(appId: $a, keyId: $k) { appId keyId notAfter } }', { a: target, k: values['key-id'] ?? '' }],
};

async function main(): Promise<number> {
  const build = command ? requests[command] : undefined;
  if (!build) {
    console.error(`usage: npm run admin -- (${Object.keys(requests).join(' | ')}) [ID] [--token T | --api-key K] [options]`);
    return 2;
  }
  // publish takes --url for the subgraph's URL; --endpoint names the admin endpoint for any command.
  const url = values.endpoint ?? (command === 'publish' ? undefined : values.url) ?? `http://127.0.0.1:${cliSettings(values.config).port}/admin/graphql`;
  const [query, variables] = build();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (values.token) headers.authorization = `Bearer ${values.token}`;
  if (values['api-key']) headers['x-api-key'] = values['api-key'];
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: unknown[] };
  console.log(JSON.stringify(body, null, 2));
  return body.errors ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error & { cause?: { code?: string } }) => {
    console.error(`cannot reach the admin endpoint: ${error.cause?.code ?? error.message} (is npm start running? --url sets the address)`);
    process.exit(1);
  },
);
