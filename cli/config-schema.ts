// npm run config:schema: writes the JSON Schemas of the configuration (config/jointgraph.schema.json)
// and of the operator's JSON files (config/<file>.schema.json), and the configuration reference in
// docs/configuration.md, all made from the schemas the files are validated with.

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { appRegistrySchema } from '../supergraph/identity/app-registry.ts';
import { cachePolicySchema } from '../supergraph/cache/cache-policy.ts';
import { configurationJsonSchema, configurationReference, fileJsonSchema, fromPackageRoot, subgraphListFileSchema } from '../supergraph/config/index.ts';
import { labelOverlaySchema } from '../supergraph/labels/label-overlay.ts';
import { CONFIG_SCHEMA } from './commands.ts';
import { parseCommand } from './usage.ts';

export const SCHEMA_FILE = pathToFileURL(fromPackageRoot('config/jointgraph.schema.json'));
export const CONFIGURATION_DOC = pathToFileURL(fromPackageRoot('docs/configuration.md'));
export const REFERENCE_START = '<!-- configuration reference: made by npm run config:schema -->';
export const REFERENCE_END = '<!-- end of the configuration reference -->';

/** The operator's JSON files' schemas, each published as config/<name>.schema.json. */
export const FILE_SCHEMAS: readonly { name: string; schema: z.ZodType }[] = [
  { name: 'apps', schema: appRegistrySchema },
  { name: 'labels', schema: labelOverlaySchema },
  { name: 'cache-policy', schema: cachePolicySchema },
  { name: 'subgraphs', schema: subgraphListFileSchema },
];

export const fileSchemaFile = (name: string) => pathToFileURL(fromPackageRoot(`config/${name}.schema.json`));

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function schemaFileText(schema?: z.ZodType): string {
  return jsonText(schema ? fileJsonSchema(schema) : configurationJsonSchema());
}

export function withReference(doc: string): string {
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`docs/configuration.md has no ${REFERENCE_START} … ${REFERENCE_END} block`);
  return `${doc.slice(0, start + REFERENCE_START.length)}\n${configurationReference()}\n${doc.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  parseCommand(CONFIG_SCHEMA);
  writeFileSync(SCHEMA_FILE, schemaFileText());
  for (const { name, schema } of FILE_SCHEMAS) writeFileSync(fileSchemaFile(name), schemaFileText(schema));
  writeFileSync(CONFIGURATION_DOC, withReference(readFileSync(CONFIGURATION_DOC, 'utf8')));
  console.log(`wrote config/jointgraph.schema.json, ${FILE_SCHEMAS.map(({ name }) => `config/${name}.schema.json`).join(', ')} and the configuration reference in docs/configuration.md`);
}
