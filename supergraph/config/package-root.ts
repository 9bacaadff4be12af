// The checkout's root folder, whether this runs from its sources (supergraph/config/) or from their
// build (dist/supergraph/config/): the files an operator edits or a build makes (config/, console/dist/,
// supergraph/*.json) live there, never in dist/.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../' : '../../../', import.meta.url));

/** `path`, relative to the checkout's root, made absolute. */
export const fromPackageRoot = (path: string): string => join(PACKAGE_ROOT, path);
