// Process entry: one JointGraph gateway in front of a supergraph file, plain or with labels,
// joint authorization and the audit trail (its state in a fresh temporary directory), and
// optionally the response cache.
// Usage: node --import tsx bench/gateways/jointgraph-gateway.ts --supergraph FILE
//          [--grants PLAN.json --labels FILE --apps FILE] [--cache-policy FILE]

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openAuthorization, type AuthorizationSettings } from '../../server/authorization.ts';
import { openControlPlane } from '../../server/control-plane.ts';
import { readCachePolicy } from '../../supergraph/cache/index.ts';
import { createGateway } from '../../supergraph/gateway/index.ts';
import { announceReady, stopOnSignal } from '../kit/ready-line.ts';
import { applyGrants, type GrantPlan } from './jointgraph-grants.ts';

const { values } = parseArgs({
  options: {
    supergraph: { type: 'string' }, grants: { type: 'string' }, labels: { type: 'string' }, apps: { type: 'string' }, 'cache-policy': { type: 'string' },
  },
});
if (!values.supergraph) throw new Error('--supergraph FILE is required');
const supergraphSdl = readFileSync(values.supergraph, 'utf8');

const settings: AuthorizationSettings | undefined = values.grants
  ? { labelOverlayFile: values.labels!, appsFile: values.apps!, stateDir: mkdtempSync(join(tmpdir(), 'jointgraph-bench-state-')), mode: 'enforce', replyWorkingDays: 5 }
  : undefined;
const authorization = settings ? openAuthorization(supergraphSdl, settings, await openControlPlane(settings, (error) => console.error(error))) : undefined;
await authorization?.start();

// The same limits `npm run gateway` applies by default.
const gateway = await createGateway({
  supergraphSdl,
  defaultTimeoutMs: 5_000,
  healthTimeoutMs: 2_000,
  bodyLimitBytes: 1_048_576,
  // One client drives the whole load: fair use between apps is not what is measured here.
  fairUse: { app: { requestsPerMinute: 100_000_000, concurrent: 10_000 }, address: { requestsPerMinute: 100_000_000, concurrent: 10_000 } },
  ...(authorization ? { authorization: authorization.options, admin: { registry: authorization.registry } } : {}),
  ...(values['cache-policy'] ? { cachePolicy: readCachePolicy(values['cache-policy']) } : {}),
});
const granted = authorization ? await applyGrants(gateway, authorization.catalog, JSON.parse(readFileSync(values.grants!, 'utf8')) as GrantPlan) : undefined;
const address = await gateway.listen({ host: '127.0.0.1', port: 0 });

stopOnSignal(async () => {
  await gateway.close();
  authorization?.close();
});
announceReady({ url: `${address}/graphql`, ...(granted ? { granted } : {}) });
