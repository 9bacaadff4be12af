// The @quality spec: what a provider declares about the quality of the data it publishes,
// in the dimensions of GB/T 36344-2018 that are the provider's to own (normativity,
// completeness, accuracy, consistency) plus the update cycle that timeliness is measured against.

import type { DirectiveSpec } from '../spec.ts';

export const QUALITY_SPEC: DirectiveSpec = {
  name: 'quality',
  version: 'v0.1',
  url: 'https://specs.jointgraph.dev/quality/v0.1',
  directive: '@quality',
  sdl: /* GraphQL */ `
directive @quality(
  owner: String!
  contact: String
  updateCycle: quality__UpdateCycle!
  asOfField: String
  completeness: Float
  standard: String
  accuracy: String
  consistency: String
) on FIELD_DEFINITION | OBJECT

enum quality__UpdateCycle { REALTIME HOURLY DAILY WEEKLY MONTHLY YEARLY }
`,
};
