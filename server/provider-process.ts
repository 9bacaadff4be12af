// One sample (or example) provider in a process of its own, started by server/supervisor.ts: it takes its
// settings over IPC, reports its URL once listening, and exits when stopped or orphaned.

import { ALL_PROVIDERS, startProvider } from '../subgraphs/index.ts';
import type { CitySettings } from '../supergraph/config/index.ts';
import { providerTrust, type ProviderTrust } from './sample-platform.ts';
import { serveSupervised } from './supervised-child.ts';

export interface ProviderProcessStart {
  provider: string;
  host: string;
  port: number;
  dataDir: string;
  city: CitySettings;
  trust?: ProviderTrust;
}

serveSupervised(async (start: ProviderProcessStart) => {
  const definition = ALL_PROVIDERS.find((p) => p.name === start.provider);
  if (!definition) throw new Error(`no sample provider "${start.provider}"`);
  const { trust, ...rest } = start;
  return startProvider(definition, { ...rest, ...(trust ? providerTrust(trust, definition.name) : {}) });
});
