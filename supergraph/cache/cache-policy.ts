// The operator's cache policy: which coordinates may be kept, and for how long. Data graded
// IMPORTANT or CORE is never cached unless the policy names the coordinate and allows it: the
// operator's cache must not become a second copy of a provider's database. A TTL is always
// capped by the declared update cycle.

import { z } from 'zod';
import { CYCLE_SECONDS, type QualityDeclarations } from '../../directives/index.ts';
import { declaredQuality } from '../quality/declared-quality.ts';
import { parseFileInput, readJsonFile } from '../config/index.ts';
import type { LabelCatalog } from '../labels/index.ts';

export interface CacheRule {
  ttlSeconds: number;
  /** Allows caching a coordinate graded above GENERAL. */
  allowGrade?: boolean;
}

export interface CachePolicy {
  maxBytes: number;
  defaultTtlSeconds: number;
  /** By coordinate (`Type.field`) or wildcard (`Type.*`). */
  rules: Map<string, CacheRule>;
}

const DEFAULT_MAX_BYTES = 64 * 1_048_576;
const DEFAULT_TTL_SECONDS = 300;
const BYTES = 'expected a whole number of bytes, at least 1024';
const SECONDS = 'expected a number of seconds, 0 or more';
const seconds = z.coerce.number({ error: SECONDS }).min(0, { error: SECONDS });

const ruleSchema = z.object(
  {
    ttlSeconds: seconds,
    allowGrade: z.boolean().optional().catch(undefined).meta({ description: 'true: the coordinate may be cached although graded above GENERAL' }),
  },
  { error: 'expected a rule {"ttlSeconds": N, "allowGrade": true}' },
);

/** The cache policy file (supergraph/cache-policy.json): a size, a default TTL and rules by Type.field or Type.*. */
export const cachePolicySchema = z.object(
  {
    maxBytes: z.coerce.number({ error: BYTES }).int({ error: BYTES }).min(1_024, { error: BYTES }).nullish().meta({ description: `the cache's size; ${DEFAULT_MAX_BYTES} when absent` }),
    defaultTtlSeconds: seconds.nullish().meta({ description: `TTL of a coordinate no rule names; ${DEFAULT_TTL_SECONDS} when absent` }),
    coordinates: z
      .record(z.string().regex(/^[A-Za-z_]\w*\.(\*|[A-Za-z_]\w*)$/, { error: 'expected a selector Type.field or Type.*' }), ruleSchema, { error: 'expected {"Type.field" | "Type.*": {"ttlSeconds": N}}' })
      .nullish(),
  },
  { error: 'expected {"maxBytes": N, "defaultTtlSeconds": N, "coordinates": {...}}' },
).meta({ title: 'JointGraph cache policy', description: 'which coordinates the response cache may keep, and for how long (capped by the declared update cycle)' });

export function parseCachePolicy(json: unknown, source = 'cache policy'): CachePolicy {
  const raw = parseFileInput(cachePolicySchema, json ?? {}, source);
  const rules = new Map<string, CacheRule>();
  for (const [selector, rule] of Object.entries(raw.coordinates ?? {})) rules.set(selector, { ttlSeconds: rule.ttlSeconds, ...(rule.allowGrade === true ? { allowGrade: true } : {}) });
  return { maxBytes: raw.maxBytes ?? DEFAULT_MAX_BYTES, defaultTtlSeconds: raw.defaultTtlSeconds ?? DEFAULT_TTL_SECONDS, rules };
}

export function readCachePolicy(file: string): CachePolicy {
  return parseCachePolicy(readJsonFile(file, 'cache policy'), file);
}

/** Seconds a coordinate may be cached for: 0 when it may not be cached at all. */
export function ttlFor(policy: CachePolicy, catalog: LabelCatalog, quality: QualityDeclarations, coordinate: string): number {
  const rule = policy.rules.get(coordinate) ?? policy.rules.get(`${coordinate.split('.')[0]}.*`);
  const label = catalog.fields.get(coordinate)?.label;
  if (!label || label.sharing === 'NOT_SHARED') return 0;
  if (label.grade !== 'GENERAL' && !rule?.allowGrade) return 0;
  const ttl = rule?.ttlSeconds ?? policy.defaultTtlSeconds;
  const cycle = declaredQuality(catalog, quality, coordinate)?.updateCycle;
  return cycle ? Math.min(ttl, CYCLE_SECONDS[cycle]) : ttl;
}
