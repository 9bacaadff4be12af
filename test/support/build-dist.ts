// Vitest's global setup: tests run the TypeScript sources, but the processes they start (npm start's
// children, the CLIs, the audit's gateways) run dist/, brought up to date here once per run.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildDist(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url)), '--if-stale'], { stdio: 'inherit' });
}
