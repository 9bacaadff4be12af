// npm run config:schema: writes the configuration's JSON Schema (config/jointgraph.schema.json) and
// the README's configuration reference, both made from the schema in supergraph/config/.

import { readFileSync, writeFileSync } from 'node:fs';
import { configurationJsonSchema, configurationReference } from '../supergraph/config/index.ts';

export const SCHEMA_FILE = new URL('../config/jointgraph.schema.json', import.meta.url);
const README = new URL('../README.md', import.meta.url);
export const REFERENCE_START = '<!-- configuration reference: made by npm run config:schema -->';
export const REFERENCE_END = '<!-- end of the configuration reference -->';

export function schemaFileText(): string {
  return `${JSON.stringify(configurationJsonSchema(), null, 2)}\n`;
}

export function withReference(readme: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${REFERENCE_START} … ${REFERENCE_END} block`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${configurationReference()}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(SCHEMA_FILE, schemaFileText());
  writeFileSync(README, withReference(readFileSync(README, 'utf8')));
  console.log('wrote config/jointgraph.schema.json and the README configuration reference');
}
