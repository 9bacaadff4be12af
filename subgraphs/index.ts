// The sample domain: five departments of Qinghe City, each publishing its own subgraph.

import { civilAffairs } from './civil-affairs/index.ts';
import { enterprise } from './enterprise/index.ts';
import { housing } from './housing/index.ts';
import type { ProviderDefinition } from './kit/index.ts';
import { population } from './population/index.ts';
import { socialInsurance } from './social-insurance/index.ts';
import { tax } from './tax/index.ts';

export const SAMPLE_PROVIDERS: readonly ProviderDefinition[] = Object.freeze([population, enterprise, socialInsurance, tax, civilAffairs]);

/** Departments that join later and publish their subgraph themselves (not composed by `npm start`). */
export const EXAMPLE_PROVIDERS: readonly ProviderDefinition[] = Object.freeze([housing as ProviderDefinition]);

/** Every provider this repository can serve, sample ones first; provider k listens on the base port + k. */
export const ALL_PROVIDERS: readonly ProviderDefinition[] = Object.freeze([...SAMPLE_PROVIDERS, ...EXAMPLE_PROVIDERS]);

export * from './kit/index.ts';
export * as synthetic from './synthetic/index.ts';
