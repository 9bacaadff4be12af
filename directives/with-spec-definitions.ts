// Providers @link a JointGraph spec and use its directive; this adds the definitions
// the subgraph libraries need, exactly once, so no provider copies them by hand.

import { parse, type DocumentNode } from 'graphql';
import { LABEL_SPEC } from './label/index.ts';
import { LIMITS_SPEC } from './limits/index.ts';
import { QUALITY_SPEC } from './quality/index.ts';
import type { DirectiveSpec } from './spec.ts';

export const SPECS: readonly DirectiveSpec[] = Object.freeze([LABEL_SPEC, QUALITY_SPEC, LIMITS_SPEC]);

export function linkedSpecs(sdl: string | DocumentNode): DirectiveSpec[] {
  const text = typeof sdl === 'string' ? sdl : (sdl.loc?.source.body ?? '');
  return SPECS.filter((spec) => text.includes(`"${spec.url}"`));
}

export function withSpecDefinitions(sdl: string): string {
  const defined = new Set(
    parse(sdl).definitions.flatMap((d) => ('name' in d && d.name ? [d.kind === 'DirectiveDefinition' ? `@${d.name.value}` : d.name.value] : [])),
  );
  const missing = linkedSpecs(sdl).filter((spec) => !defined.has(spec.directive));
  return missing.length === 0 ? sdl : `${sdl.trimEnd()}\n${missing.map((s) => s.sdl).join('')}`;
}
