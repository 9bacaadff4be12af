// Opens the schema registry over the control-plane store: publications are checked against
// the label overlay file, the audit trail (use within the window) and the active grants, which
// the authorization stores provide once they are open.

import type { SubgraphSdl } from '../supergraph/compose/index.ts';
import { readLabelOverlay } from '../supergraph/labels/index.ts';
import { createSchemaRegistry, type RegistryStore, type SchemaRegistry } from '../supergraph/registry/index.ts';
import type { AuthorizationSettings, OpenAuthorization } from './authorization.ts';
import type { ControlPlane } from './control-plane.ts';

export interface OpenSchemaRegistry {
  store: RegistryStore;
  registry: SchemaRegistry & { useAuthorization(authorization: OpenAuthorization): void };
}

export function openSchemaRegistry(settings: AuthorizationSettings, baseline: () => Promise<SubgraphSdl[]>, controlPlane: ControlPlane): OpenSchemaRegistry {
  const store = controlPlane.registry;
  let stores: OpenAuthorization | undefined;
  const registry = createSchemaRegistry({
    store,
    baseline,
    // The overlay every replica serves, once one was loaded through any of them; the file until then.
    overlay: () => controlPlane.labels?.current()?.overlay ?? readLabelOverlay(settings.labelOverlayFile),
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
