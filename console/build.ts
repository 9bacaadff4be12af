// `npm run console:build`: type-checks and bundles the console and GraphiQL into console/dist,
// then records the digest of their sources beside the build.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { CONSOLE_DIR, DIGEST_FILE, sourceDigest } from './source-digest.ts';

execFileSync(process.execPath, [join(CONSOLE_DIR, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(CONSOLE_DIR, 'tsconfig.json')], { stdio: 'inherit' });
await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts') });
writeFileSync(DIGEST_FILE, `${sourceDigest()}\n`);
