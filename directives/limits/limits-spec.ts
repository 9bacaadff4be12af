// The @pageSize spec: what a provider declares about a list field it pages. `max` is the largest
// page it serves; the gateway refuses a larger one before asking, and uses the page asked for
// (or the argument's default, else `max`) as the list size in its cost estimate. It plays the
// part of Federation's demand-control `@listSize(slicingArguments, assumedSize)`, plus the maximum.

import type { DirectiveSpec } from '../spec.ts';

export const LIMITS_SPEC: DirectiveSpec = {
  name: 'limits',
  version: 'v0.1',
  url: 'https://specs.jointgraph.dev/limits/v0.1',
  directive: '@pageSize',
  sdl: /* GraphQL */ `
directive @pageSize(max: Int!, slicingArguments: [String!] = ["first", "last"]) on FIELD_DEFINITION
`,
};
