// The configuration reference in docs/configuration.md, made from the schema: one row per setting with its path
// in the file, the variable that overrides it, its default and its meaning.

import { settingLeaves } from './load-configuration.ts';

function shownDefault(value: unknown, derived: string | undefined): string {
  if (derived) return derived;
  if (value === undefined) return 'none';
  if (Array.isArray(value) && value.length === 0) return 'none';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

export function configurationReference(): string {
  const rows = settingLeaves().map(({ path, meta, default: value }) => {
    const env = [meta['x-env'], meta['x-env-fallback']].filter(Boolean).map((name) => `\`${name}\``).join(' (or ') + (meta['x-env-fallback'] ? ')' : '');
    return `| \`${path.join('.')}\` | ${env || '–'} | ${shownDefault(value, meta['x-default'])} | ${meta.description} |`;
  });
  return ['| setting | variable | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
