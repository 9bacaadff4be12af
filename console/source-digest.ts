// The digest of everything the console build is made from: its sources, its Vite config and the
// versions of the packages bundled into it. The build records it; a test compares it with the
// sources, so a console change without `npm run console:build` fails the suite.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DIGEST_FILE = join(CONSOLE_DIR, 'dist', 'source.sha256');
// The gateway's update cycles, which the console reads from the shared vocabulary.
const INPUTS = ['index.html', 'vite.config.ts', 'tsconfig.json', 'src', '../directives/quality/quality.ts'];
const BUNDLED = ['graphiql', '@graphiql/react', 'react', 'react-dom', 'vite'];

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => files(join(path, name)));
}

export function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => files(join(CONSOLE_DIR, input)))) {
    hash.update(`${relative(CONSOLE_DIR, file)}\0`).update(readFileSync(file)).update('\0');
  }
  const modules = join(CONSOLE_DIR, '..', 'node_modules');
  for (const name of BUNDLED) {
    const { version } = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')) as { version: string };
    hash.update(`${name}@${version}\0`);
  }
  return hash.digest('hex');
}
