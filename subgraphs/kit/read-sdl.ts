import { readFileSync } from 'node:fs';

/** Reads a provider's `schema.graphql`, given the provider module's `import.meta.url`. */
export function readSdl(moduleUrl: string, file = 'schema.graphql'): string {
  return readFileSync(new URL(file, moduleUrl), 'utf8');
}
