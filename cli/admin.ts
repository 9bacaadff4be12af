// npm run admin -- <command>: the admin endpoint from the command line, for operators,
// providers (--token) and requesting apps (--api-key). Prints the endpoint's JSON answer.
//
//   applications [--status PENDING]        application ID         overdue
//   apply --coordinates A,B | --selector S --purpose P --basis B --expires ISO [--row-scope OWN_DISTRICT]
//   approve ID [--note N]   refuse ID --reason R   revoke ID --reason R
//   labels    recipients COORDINATE [--from ISO] [--to ISO]    access-records [--app ID]    verify-audit

import { parseArgs } from 'node:util';
import { loadSettings } from '../supergraph/config/index.ts';

const APPLICATION = 'id appId purpose coordinates rowScope status expiresAt filedAt replyDeadline parties { party decision reason answeredAt }';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    url: { type: 'string' }, token: { type: 'string' }, 'api-key': { type: 'string' }, status: { type: 'string' },
    coordinates: { type: 'string' }, selector: { type: 'string' }, purpose: { type: 'string' }, basis: { type: 'string' },
    expires: { type: 'string' }, 'row-scope': { type: 'string' }, note: { type: 'string' }, reason: { type: 'string' },
    from: { type: 'string' }, to: { type: 'string' }, app: { type: 'string' },
  },
});

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
    'query($app: String) { accessRecords(appId: $app, last: 10) { seq at appId purpose returned denied providers entities outcome status } }',
    { app: values.app },
  ],
  'verify-audit': () => ['{ verifyAuditTrail { ok records brokenAtSeq problem } }', {}],
};

async function main(): Promise<number> {
  const build = command ? requests[command] : undefined;
  if (!build) {
    console.error(`usage: npm run admin -- (${Object.keys(requests).join(' | ')}) [ID] [--token T | --api-key K] [options]`);
    return 2;
  }
  const url = values.url ?? `http://127.0.0.1:${loadSettings(process.env).port}/admin/graphql`;
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
