// The operator's cache policy: which coordinates may be kept, and for how long. Data graded
// IMPORTANT or CORE is never cached unless the policy names the coordinate and allows it: the
// operator's cache must not become a second copy of a provider's database. A TTL is always
// capped by the declared update cycle.

import { CYCLE_SECONDS, type QualityDeclarations } from '../../directives/index.ts';
import { declaredQuality } from '../quality/declared-quality.ts';
import { ConfigError, readJsonFile } from '../config/index.ts';
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

export function parseCachePolicy(json: unknown, source = 'cache policy'): CachePolicy {
  const raw = json as { maxBytes?: unknown; defaultTtlSeconds?: unknown; coordinates?: Record<string, Record<string, unknown>> };
  const maxBytes = Number(raw?.maxBytes ?? 64 * 1_048_576);
  const defaultTtlSeconds = Number(raw?.defaultTtlSeconds ?? 300);
  if (!Number.isInteger(maxBytes) || maxBytes < 1_024) throw new ConfigError(`${source} maxBytes`, 'a whole number of bytes, at least 1024');
  if (!Number.isFinite(defaultTtlSeconds) || defaultTtlSeconds < 0) throw new ConfigError(`${source} defaultTtlSeconds`, 'a number of seconds, 0 or more');
  const rules = new Map<string, CacheRule>();
  for (const [selector, rule] of Object.entries(raw?.coordinates ?? {})) {
    if (!/^[A-Za-z_]\w*\.(\*|[A-Za-z_]\w*)$/.test(selector)) throw new ConfigError(`${source} "${selector}"`, 'a selector is Type.field or Type.*');
    const ttlSeconds = Number(rule.ttlSeconds);
    if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0) throw new ConfigError(`${source} "${selector}"`, 'ttlSeconds must be 0 or more');
    rules.set(selector, { ttlSeconds, ...(rule.allowGrade === true ? { allowGrade: true } : {}) });
  }
  return { maxBytes, defaultTtlSeconds, rules };
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
