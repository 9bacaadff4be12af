// The admin endpoint's commands (`jointgraph admin <command>`): what each does, the argument and
// flags it takes, and the GraphQL request it sends. Operators and providers act with --token,
// requesting apps with --api-key; cli/commands.ts adds the flags every command shares.

import { readFileSync } from 'node:fs';
import { DEMAND_COMMANDS } from './demand-commands.ts';
import type { Argument, Flag } from './usage.ts';

const APPLICATION = 'id appId purpose coordinates rowScope status expiresAt filedAt replyDeadline parties { party decision reason answeredAt answeredBy }';
const APP = 'id name department roles district purposes operations origins limits { requestsPerMinute concurrent maxCost } keys { keyId live notAfter }';
const ISSUED = 'appId keyId key retired { keyId notAfter }';
const PRINCIPAL = 'party id name kind roles';
const VERSION = 'subgraph version url publishedBy publishedAt status decisions { party decision decidedBy decidedAt reason }';
const CHECKED = `diff { added removed changed { coordinate from to } } unlabeled labelConflicts derivedFromNotShared
  elsewhere { unlabeled labelConflicts derivedFromNotShared } ownershipChanges { coordinate change owners to readBy apps grants } awaiting`;
const PUBLISHED = `version { ${VERSION} } ${CHECKED}`;
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim());

type Values = Readonly<Record<string, string | undefined>>;

export interface AdminCommand {
  summary: string;
  arg?: Argument;
  flags?: Readonly<Record<string, Flag>>;
  /** The query and its variables; `target` is the argument. */
  request: (target: string, values: Values) => [string, Record<string, unknown>];
}

const text = (value: string, description: string, more: Partial<Flag> = {}): Flag => ({ type: 'string', value, description, ...more });
const required = (value: string, description: string): Flag => text(value, description, { required: true });

const ID: Argument = { name: 'ID', description: 'the application id, or a unique prefix of 8 characters or more (applications lists them)' };
const APP_ID: Argument = { name: 'APP', description: 'the app id (apps lists them)' };
const SUBGRAPH: Argument = { name: 'NAME', description: 'the subgraph name' };
const PRINCIPAL_ID: Argument = { name: 'ID', description: 'the principal id' };
const COORDINATE: Argument = { name: 'COORDINATE', description: 'a schema coordinate: Type.field' };
const FROM = text('ISO', 'from this time on (ISO 8601)', { default: 'the beginning' });
const TO = text('ISO', 'up to this time (ISO 8601)', { default: 'now' });
const REASON = required('TEXT', 'why, kept with the decision');
const VERSION_FLAG = required('N', 'the version number (versions lists them)');
const PARTY = required('PARTY', 'the principal\'s party: operator, or a provider\'s subgraph name');
const ROLES = text('A,B', 'roles, comma-separated');
const NAME = text('TEXT', 'a display name');

export const ADMIN_COMMANDS: Readonly<Record<string, AdminCommand>> = {
  applications: {
    summary: 'list grant applications',
    flags: { status: text('STATUS', 'only these: PENDING, ACTIVE, REFUSED, REVOKED or EXPIRED', { default: 'all' }) },
    request: (_, v) => [`query($s: ApplicationStatus) { applications(status: $s) { ${APPLICATION} } }`, { s: v.status }],
  },
  application: {
    summary: 'one application, with its revocation',
    arg: ID,
    request: (id) => [`query($id: ID!) { application(id: $id) { ${APPLICATION} revokedAt revokedBy revokeReason } }`, { id }],
  },
  overdue: { summary: 'applications past their reply deadline, and whom they wait for', request: () => [`{ overdueApplications { waitingFor application { ${APPLICATION} } } }`, {}] },
  apply: {
    summary: 'apply for fields, for a purpose (a requesting app, --api-key)',
    flags: {
      coordinates: text('A,B', 'the fields, comma-separated (Type.field); or --selector'),
      selector: text('SELECTOR', 'the fields by label, instead of --coordinates'),
      purpose: required('PURPOSE', 'the purpose code the grant is for'),
      basis: required('TEXT', 'the legal basis'),
      expires: required('ISO', 'when the grant ends (ISO 8601, in the future)'),
      'row-scope': text('SCOPE', 'ALL or OWN_DISTRICT', { default: 'ALL' }),
    },
    request: (_, v) => [
      `mutation($input: ApplyInput!) { apply(input: $input) { ${APPLICATION} } }`,
      {
        input: {
          ...(v.coordinates ? { coordinates: list(v.coordinates) } : {}),
          ...(v.selector ? { selector: v.selector } : {}),
          purpose: v.purpose, basis: v.basis, expiresAt: v.expires,
          ...(v['row-scope'] ? { rowScope: v['row-scope'] } : {}),
        },
      },
    ],
  },
  approve: {
    summary: 'approve an application as your party',
    arg: ID,
    flags: { note: text('TEXT', 'a note kept with the approval') },
    request: (id, v) => [`mutation($id: ID!, $note: String) { approve(id: $id, note: $note) { ${APPLICATION} } }`, { id, note: v.note }],
  },
  refuse: {
    summary: 'refuse an application as your party',
    arg: ID,
    flags: { reason: REASON },
    request: (id, v) => [`mutation($id: ID!, $reason: String!) { refuse(id: $id, reason: $reason) { ${APPLICATION} } }`, { id, reason: v.reason }],
  },
  revoke: {
    summary: 'revoke an active grant',
    arg: ID,
    flags: { reason: REASON },
    request: (id, v) => [`mutation($id: ID!, $reason: String!) { revoke(id: $id, reason: $reason) { ${APPLICATION} revokedAt revokeReason } }`, { id, reason: v.reason }],
  },
  labels: { summary: 'every field\'s label', request: () => ['{ labels { coordinate owners sharing grade level category pii basis source } }', {}] },
  recipients: {
    summary: 'who received a field, per the audit trail (auditor)',
    arg: COORDINATE,
    flags: { from: FROM, to: TO },
    request: (c, v) => [
      'query($c: String!, $from: String, $to: String) { recipients(coordinate: $c, from: $from, to: $to) { seq at appId department purpose returned } }',
      { c, from: v.from, to: v.to },
    ],
  },
  'access-records': {
    summary: 'the last ten access records that match (auditor)',
    flags: {
      app: text('APP', 'only this app\'s'), purpose: text('PURPOSE', 'only for this purpose'), coordinate: text('COORDINATE', 'only those that returned this field'),
      provider: text('NAME', 'only those that called this provider'), 'request-id': text('ID', 'only this request\'s'), from: FROM, to: TO,
    },
    request: (_, v) => [
      `query($app: String, $p: String, $c: String, $pr: String, $r: String, $f: String, $t: String) {
      accessRecords(appId: $app, purpose: $p, coordinate: $c, provider: $pr, requestId: $r, from: $f, to: $t, last: 10) { seq at requestId appId purpose returned denied providers entities outcome status } }`,
      { app: v.app, p: v.purpose, c: v.coordinate, pr: v.provider, r: v['request-id'], f: v.from, t: v.to },
    ],
  },
  quality: {
    summary: 'the quality report: providers\' freshness and service, fields\' declared and measured quality, overdue objections',
    request: () => [
      `{ qualityReport { generatedAt responsibility { provider operator }
        providers { name owner source { updatedAt ageSeconds fastestDeclaredCycle withinCycle } service { requests errorRate timeouts unavailable latencyMs { p50 p95 p99 } availability } }
        fields { coordinate provider declared { updateCycle completeness standard } measured { samples nullRate completenessMet maxAgeSeconds staleValues } }
        overdueObjections { id coordinate entityKey deadline } } }`,
      {},
    ],
  },
  objections: {
    summary: 'list data objections',
    flags: { status: text('STATUS', 'only these: OPEN, CONFIRMED or REJECTED', { default: 'all' }) },
    request: (_, v) => ['query($s: ObjectionStatus) { objections(status: $s) { id coordinate entityKey observedValue comment appId filedAt deadline status answeredBy reason correctedValue } }', { s: v.status }],
  },
  object: {
    summary: 'object to a value your app received (a requesting app, --api-key)',
    arg: COORDINATE,
    flags: {
      key: required('KEY', 'the record\'s key'), observed: text('VALUE', 'the value received'), comment: text('TEXT', 'what is wrong with it'),
      evidence: text('TEXT', 'evidence for the objection'),
    },
    request: (coordinate, v) => [
      'mutation($input: ObjectionInput!) { fileObjection(input: $input) { id coordinate entityKey status filedAt deadline } }',
      { input: { coordinate, key: v.key, observedValue: v.observed ?? '', comment: v.comment ?? '', evidence: v.evidence ?? null } },
    ],
  },
  'answer-objection': {
    summary: 'answer an objection to your field (its provider)',
    arg: { name: 'ID', description: 'the objection id, or a unique prefix of 8 characters or more (objections lists them)' },
    flags: { decision: required('DECISION', 'CONFIRMED or REJECTED'), reason: REASON, corrected: text('VALUE', 'the corrected value, when confirmed') },
    request: (id, v) => [
      'mutation($id: ID!, $d: ObjectionDecision!, $r: String!, $c: String) { answerObjection(id: $id, decision: $d, reason: $r, correctedValue: $c) { id status answeredBy answeredAt reason correctedValue } }',
      { id, d: v.decision, r: v.reason, c: v.corrected ?? null },
    ],
  },
  purge: {
    summary: 'remove cached answers (maintainer)',
    flags: { type: text('TYPE', 'only this entity type\'s'), key: text('KEY', 'only this entity\'s (with --type)'), coordinate: text('COORDINATE', 'only those holding this field') },
    request: (_, v) => ['mutation($t: String, $k: String, $c: String) { purgeCache(type: $t, key: $k, coordinate: $c) { removed } }', { t: v.type, k: v.key, c: v.coordinate }],
  },
  'verify-audit': { summary: 'verify the audit trail\'s hash chain (auditor)', request: () => ['{ verifyAuditTrail { ok records brokenAtSeq problem } }', {}] },
  apps: { summary: 'list the registered apps and their keys', request: () => [`{ apps { ${APP} } }`, {}] },
  'create-app': {
    summary: 'register an app (operator maintainer)',
    arg: { name: 'APP', description: 'the new app\'s id' },
    flags: {
      department: required('TEXT', 'the department the app serves'), name: NAME, roles: ROLES, district: text('DISTRICT', 'the district an OWN_DISTRICT grant limits it to'),
      purposes: text('A,B', 'the purposes it may state, comma-separated'), limits: text('JSON', 'fair-use limits: {"requestsPerMinute": N, "concurrent": N, "maxCost": N}'),
    },
    request: (id, v) => [
      `mutation($input: AppInput!) { createApp(input: $input) { ${APP} } }`,
      { input: { id, department: v.department, name: v.name, roles: list(v.roles), district: v.district, purposes: list(v.purposes), ...(v.limits ? { limits: JSON.parse(v.limits) } : {}) } },
    ],
  },
  'issue-key': { summary: 'issue an API key for an app (operator maintainer)', arg: APP_ID, request: (a) => [`mutation($a: String!) { issueKey(appId: $a) { ${ISSUED} } }`, { a }] },
  'rotate-key': {
    summary: 'issue a new API key, the old ones kept for a grace period (operator maintainer)',
    arg: APP_ID,
    flags: { grace: text('SECONDS', 'how long the old keys keep working', { default: '0' }) },
    request: (a, v) => [`mutation($a: String!, $g: Int) { rotateKey(appId: $a, graceSeconds: $g) { ${ISSUED} } }`, { a, g: v.grace ? Number(v.grace) : 0 }],
  },
  'revoke-key': {
    summary: 'revoke one of an app\'s keys (operator maintainer)',
    arg: APP_ID,
    flags: { 'key-id': required('KEY_ID', 'the key\'s id (apps lists them)') },
    request: (a, v) => ['mutation($a: String!, $k: String!) { revokeKey(appId: $a, keyId: $k) { appId keyId notAfter } }', { a, k: v['key-id'] }],
  },
  publish: {
    summary: 'publish a subgraph\'s schema (publisher)',
    arg: SUBGRAPH,
    flags: { url: required('URL', 'the subgraph\'s URL (the admin endpoint is --endpoint here)'), 'sdl-file': required('FILE', 'the subgraph\'s SDL') },
    request: (n, v) => [
      `mutation($n: String!, $u: String!, $s: String!) { publishSubgraph(name: $n, url: $u, sdl: $s) { ${PUBLISHED} } }`,
      { n, u: v.url, s: readFileSync(v['sdl-file']!, 'utf8') },
    ],
  },
  'check-publication': {
    summary: 'check a subgraph\'s schema as publish would (composition, labels, breaking changes to fields in use), publishing nothing; exit 1 when publish would refuse it (publisher)',
    arg: SUBGRAPH,
    flags: { url: required('URL', 'the subgraph\'s URL (the admin endpoint is --endpoint here)'), 'sdl-file': required('FILE', 'the subgraph\'s SDL') },
    request: (n, v) => [
      `query($n: String!, $u: String!, $s: String!) { checkPublication(name: $n, url: $u, sdl: $s) { ${CHECKED} } }`,
      { n, u: v.url, s: readFileSync(v['sdl-file']!, 'utf8') },
    ],
  },
  versions: {
    summary: 'a subgraph\'s published versions (every subgraph\'s without NAME)',
    arg: { ...SUBGRAPH, optional: true },
    request: (n) => [`query($n: String) { subgraphVersions(subgraph: $n) { ${VERSION} } }`, { n: n || undefined }],
  },
  diff: {
    summary: 'what changed between two versions of a subgraph',
    arg: SUBGRAPH,
    flags: { from: required('N', 'the older version'), to: required('N', 'the newer version') },
    request: (n, v) => ['query($n: String!, $f: Int!, $t: Int!) { subgraphDiff(subgraph: $n, from: $f, to: $t) { added removed changed { coordinate from to } } }', { n, f: Number(v.from), t: Number(v.to) }],
  },
  'pending-publications': { summary: 'publications waiting for approval', request: () => [`{ pendingPublications { ${PUBLISHED} } }`, {}] },
  'approve-publication': {
    summary: 'approve a pending publication (operator; owners of fields it takes)',
    arg: SUBGRAPH,
    flags: { version: VERSION_FLAG },
    request: (n, v) => [`mutation($n: String!, $v: Int!) { approvePublication(subgraph: $n, version: $v) { ${PUBLISHED} } }`, { n, v: Number(v.version) }],
  },
  'refuse-publication': {
    summary: 'refuse a pending publication (operator; owners of fields it takes)',
    arg: SUBGRAPH,
    flags: { version: VERSION_FLAG, reason: REASON },
    request: (n, v) => [`mutation($n: String!, $v: Int!, $r: String!) { refusePublication(subgraph: $n, version: $v, reason: $r) { ${VERSION} } }`, { n, v: Number(v.version), r: v.reason }],
  },
  rollback: {
    summary: 'serve an earlier version of a subgraph again (operator)',
    arg: SUBGRAPH,
    flags: { version: VERSION_FLAG },
    request: (n, v) => [`mutation($n: String!, $v: Int!) { rollbackSubgraph(subgraph: $n, version: $v) { ${PUBLISHED} } }`, { n, v: Number(v.version) }],
  },
  'reload-labels': { summary: 'read the label overlay file again (operator)', request: () => ['mutation { reloadLabels { digest fields unlabeled } }', {}] },
  principals: {
    summary: 'list the principals (people and services acting for a party)',
    flags: { party: text('PARTY', 'only this party\'s', { default: 'all' }) },
    request: (_, v) => [`query($p: String) { principals(party: $p) { ${PRINCIPAL} } }`, { p: v.party }],
  },
  'create-principal': {
    summary: 'add a principal and issue its token (maintainer)',
    arg: { name: 'ID', description: 'the new principal\'s id' },
    flags: { party: PARTY, kind: required('KIND', 'person or service'), roles: { ...ROLES, required: true }, name: NAME },
    request: (id, v) => [
      `mutation($input: PrincipalInput!) { createPrincipal(input: $input) { principal { ${PRINCIPAL} } token } }`,
      { input: { id, party: v.party, kind: v.kind, roles: list(v.roles), name: v.name } },
    ],
  },
  'issue-principal-token': {
    summary: 'issue a new token for a principal (maintainer)',
    arg: PRINCIPAL_ID,
    flags: { party: PARTY },
    request: (id, v) => [`mutation($p: String!, $id: String!) { issuePrincipalToken(party: $p, id: $id) { principal { ${PRINCIPAL} } token } }`, { p: v.party, id }],
  },
  'remove-principal': {
    summary: 'remove a principal (maintainer)',
    arg: PRINCIPAL_ID,
    flags: { party: PARTY },
    request: (id, v) => [`mutation($p: String!, $id: String!) { removePrincipal(party: $p, id: $id) { ${PRINCIPAL} } }`, { p: v.party, id }],
  },
  ...DEMAND_COMMANDS,
};
