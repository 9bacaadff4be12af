// The @label spec: how a data service is labelled for sharing (sharing type, grade, category).
// Providers import it with @link and carry it into the supergraph with @composeDirective.

import type { DirectiveSpec } from '../spec.ts';

export const LABEL_SPEC: DirectiveSpec = {
  name: 'label',
  version: 'v0.1',
  url: 'https://specs.jointgraph.dev/label/v0.1',
  directive: '@label',
  sdl: /* GraphQL */ `
directive @label(
  sharing: label__Sharing!
  grade: label__Grade!
  level: Int
  category: String
  pii: Boolean
  basis: String
) on FIELD_DEFINITION | OBJECT

enum label__Sharing { UNCONDITIONAL CONDITIONAL NOT_SHARED }

enum label__Grade { GENERAL IMPORTANT CORE }
`,
};
