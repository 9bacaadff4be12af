// Opens the schema registry (registry.db in the state folder, or PostgreSQL shared by replicas): publications are checked against
// the label overlay file, the audit trail (use within the window) and the active grants, which
// the authorization stores provide once they are open.

import { join } from 'node:path';
import type { SubgraphSdl } from '../supergraph/compose/index.ts';
import { readLabelOverlay } from '../supergraph/labels/index.ts';
import { createSchemaRegistry, openSqliteRegistryStore, type RegistryStore, type SchemaRegistry } from '../supergraph/registry/index.ts';
import type { AuthorizationSettings, OpenAuthorization } from './authorization.ts';
import type { SharedStores } from './shared-stores.ts';

export interface OpenSchemaRegistry {
  store: RegistryStore;
  registry: SchemaRegistry & { useAuthorization(authorization: OpenAuthorization): void };
}

export function openSchemaRegistry(settings: AuthorizationSettings, baseline: () => Promise<SubgraphSdl[]>, shared?: SharedStores): OpenSchemaRegistry {
  const store = shared?.registry ?? openSqliteRegistryStore(join(settings.stateDir, 'registry.db'));
  let stores: OpenAuthorization | undefined;
  const registry = createSchemaRegistry({
    store,
    baseline,
    // The overlay every replica serves, once one was loaded through any of them; the file until then.
    overlay: () => shared?.labels.current()?.overlay ?? readLabelOverlay(settings.labelOverlayFile),
    usage: {
      recipients: async (coordinate, from) => (await stores?.access.recipients(coordinate, from))?.map((r) => ({ appId: r.appId, at: r.at })) ?? [],
      grantsCovering: (coordinate) => stores?.grants.list({ status: 'ACTIVE' }).filter((a) => a.coordinates.includes(coordinate)).map((a) => ({ id: a.id, appId: a.appId })) ?? [],
    },
    usageWindowDays: settings.registry?.usageWindowDays ?? 90,
    requireOperatorApproval: settings.registry?.requireOperatorApproval ?? false,
    ...(settings.now ? { now: settings.now } : {}),
  });
  return { store, registry: Object.assign(registry, { useAuthorization: (authorization: OpenAuthorization) => void (stores = authorization) }) };
}
