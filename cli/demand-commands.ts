// The admin commands of data demands and notifications (`jointgraph admin <command>`): apps file
// demands, the operator routes or declines them, departments commit, refuse and fulfil them; every
// caller reads its inbox and chooses its channels; webhooks; the operator's delivery log.

import type { AdminCommand } from './admin-commands.ts';
import type { Argument, Flag } from './usage.ts';

const DEMAND = 'id appId title status purpose coordinates neededBy filedAt routeDeadline answerDeadline declineReason departments { party decision commitDate reason answeredBy } subgraph subgraphVersion applicationId leadTimes { toRouteHours toCommitHours toFulfilHours totalHours }';
const NOTICE = 'key kind subject title body createdAt readAt';
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim());
const text = (value: string, description: string, more: Partial<Flag> = {}): Flag => ({ type: 'string', value, description, ...more });
const required = (value: string, description: string): Flag => text(value, description, { required: true });
const ID: Argument = { name: 'ID', description: 'the demand id, or a unique prefix of 8 characters or more (demands lists them)' };
const REASON = required('TEXT', 'why, kept with the decision');

export const DEMAND_COMMANDS: Readonly<Record<string, AdminCommand>> = {
  demands: {
    summary: 'list data demands (an app its own, a department those routed to it, the operator all)',
    flags: { status: text('STATUS', 'only these: FILED, DECLINED, ROUTED, COMMITTED, REFUSED or FULFILLED', { default: 'all' }) },
    request: (_, v) => [`query($s: DemandStatus) { demands(status: $s) { ${DEMAND} } }`, { s: v.status }],
  },
  demand: { summary: 'one data demand, with its departments\' answers and lead times', arg: ID, request: (id) => [`query($id: ID!) { demand(id: $id) { ${DEMAND} description basis } }`, { id }] },
  'file-demand': {
    summary: 'ask for data no provider publishes yet (a requesting app, --api-key)',
    flags: {
      title: required('TEXT', 'what data, in a line'),
      description: required('TEXT', 'what it is for and what it must hold'),
      purpose: required('PURPOSE', 'the purpose code the data is needed for'),
      basis: required('TEXT', 'the legal basis'),
      coordinates: text('A,B', 'the fields, where you can name them (Type.field), comma-separated'),
      'needed-by': required('ISO', 'the date the data is needed by (ISO 8601, in the future)'),
    },
    request: (_, v) => [
      `mutation($input: DemandInput!) { fileDemand(input: $input) { ${DEMAND} } }`,
      { input: { title: v.title, description: v.description, purpose: v.purpose, basis: v.basis, neededBy: v['needed-by'], ...(v.coordinates ? { coordinates: list(v.coordinates) } : {}) } },
    ],
  },
  'route-demand': {
    summary: 'route a filed demand to the departments that answer it (operator approver)',
    arg: ID,
    flags: { departments: required('A,B', 'the providers (subgraph names), comma-separated') },
    request: (id, v) => [`mutation($id: ID!, $d: [String!]!) { routeDemand(id: $id, departments: $d) { ${DEMAND} } }`, { id, d: list(v.departments) }],
  },
  'decline-demand': {
    summary: 'decline a filed demand (operator approver)',
    arg: ID,
    flags: { reason: REASON },
    request: (id, v) => [`mutation($id: ID!, $r: String!) { declineDemand(id: $id, reason: $r) { ${DEMAND} } }`, { id, r: v.reason }],
  },
  'commit-demand': {
    summary: 'commit your department to provide a routed demand\'s data by a date (approver)',
    arg: ID,
    flags: { date: required('ISO', 'the date you commit to (ISO 8601, in the future)'), note: text('TEXT', 'a note kept with the commitment') },
    request: (id, v) => [`mutation($id: ID!, $d: String!, $n: String) { commitDemand(id: $id, commitDate: $d, note: $n) { ${DEMAND} } }`, { id, d: v.date, n: v.note }],
  },
  'refuse-demand': {
    summary: 'refuse a routed demand for your department (approver)',
    arg: ID,
    flags: { reason: REASON },
    request: (id, v) => [`mutation($id: ID!, $r: String!) { refuseDemand(id: $id, reason: $r) { ${DEMAND} } }`, { id, r: v.reason }],
  },
  'fulfil-demand': {
    summary: 'link a committed demand to the served subgraph version that provides it, filing the app\'s application (publisher or approver)',
    arg: ID,
    flags: {
      subgraph: required('NAME', 'your subgraph (the operator: a committed department\'s)'),
      version: required('N', 'the version served now (versions lists them)'),
      coordinates: text('A,B', 'the fields that meet the demand, comma-separated', { default: 'the fields the demand names' }),
    },
    request: (id, v) => [
      `mutation($id: ID!, $s: String!, $v: Int!, $c: [String!]) { fulfilDemand(id: $id, subgraph: $s, version: $v, coordinates: $c) { ${DEMAND} } }`,
      { id, s: v.subgraph, v: Number(v.version), c: list(v.coordinates) },
    ],
  },
  inbox: {
    summary: 'your notices, newest first',
    flags: { unread: { type: 'boolean', description: 'only those you have not read' }, last: text('N', 'how many at most', { default: '50' }) },
    request: (_, v) => [`query($u: Boolean, $l: Int) { inbox(unreadOnly: $u, last: $l) { ${NOTICE} } }`, { u: v.unread === 'true', l: Number(v.last ?? 50) }],
  },
  'mark-read': {
    summary: 'mark a notice of your inbox read',
    arg: { name: 'KEY', description: 'the notice key (inbox lists them)' },
    request: (key) => [`mutation($k: String!) { markNoticeRead(key: $k) { ${NOTICE} } }`, { k: key }],
  },
  channels: {
    summary: 'choose how you are told: inbox, email, webhook',
    flags: { channels: required('A,B', 'the channels, comma-separated: inbox, email, webhook'), email: text('ADDRESS', 'your address, needed for email') },
    request: (_, v) => ['mutation($c: [String!]!, $e: String) { setNotificationChannels(channels: $c, email: $e) { principal channels email } }', { c: list(v.channels), e: v.email }],
  },
  webhooks: { summary: 'your party\'s (or app\'s) webhooks; every one for the operator\'s maintainers', request: () => ['{ webhooks { id owner url createdAt createdBy } }', {}] },
  'add-webhook': {
    summary: 'register a webhook; its signing secret is printed once (maintainer, or an app for itself)',
    arg: { name: 'URL', description: 'the http(s) URL notices are posted to' },
    flags: { owner: text('OWNER', 'the party or app:ID it is for (the operator only)', { default: 'your own' }) },
    request: (url, v) => ['mutation($u: String!, $o: String) { addWebhook(url: $u, owner: $o) { webhook { id owner url } secret } }', { u: url, o: v.owner }],
  },
  'remove-webhook': {
    summary: 'remove one of your webhooks (maintainer)',
    arg: { name: 'ID', description: 'the webhook id (webhooks lists them)' },
    request: (id) => ['mutation($id: ID!) { removeWebhook(id: $id) { id owner url } }', { id }],
  },
  deliveries: {
    summary: 'the webhook and email delivery log, each attempt with its status and error (operator)',
    flags: { status: text('STATUS', 'only these: PENDING, DELIVERED or FAILED', { default: 'all' }), last: text('N', 'how many at most', { default: '50' }) },
    request: (_, v) => ['query($s: DeliveryStatus, $l: Int) { deliveries(status: $s, last: $l) { id noticeKey channel target status attempts nextAt lastError log { attempt at ok httpStatus error } } }', { s: v.status, l: Number(v.last ?? 50) }],
  },
};
