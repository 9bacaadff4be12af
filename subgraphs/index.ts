// The sample domain: five departments of Qinghe City, each publishing its own subgraph.

import { civilAffairs } from './civil-affairs/index.ts';
import { enterprise } from './enterprise/index.ts';
import type { ProviderDefinition } from './kit/index.ts';
import { population } from './population/index.ts';
import { socialInsurance } from './social-insurance/index.ts';
import { tax } from './tax/index.ts';

export const SAMPLE_PROVIDERS: readonly ProviderDefinition[] = Object.freeze([population, enterprise, socialInsurance, tax, civilAffairs]);

export * from './kit/index.ts';
export * as synthetic from './synthetic/index.ts';
