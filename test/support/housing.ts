// The subgraph the README shows a provider how to write ("How a provider adds a subgraph", the
// example housing provider's schema), served by a test double: any district has an office, and
// district "slow" answers after a while, to hold a request in flight.

import { readFileSync } from 'node:fs';
import { withSpecDefinitions } from '../../directives/index.ts';
import type { ProviderDefinition } from '../../subgraphs/index.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The SDL block printed in the README. */
export const README_HOUSING_SDL = /```graphql\n(extend schema[\s\S]*?)```/.exec(README.slice(README.indexOf('## How a provider adds a subgraph')))![1]!;

/** The example housing provider's own schema file, which the README must print as it is. */
export const HOUSING_SCHEMA_FILE = readFileSync(new URL('../../subgraphs/housing/schema.graphql', import.meta.url), 'utf8');

/** The README's subgraph with an `hours` field beside `phone`. */
export const HOUSING_WITH_HOURS = README_HOUSING_SDL.replace('phone: String!', 'phone: String!\n  hours: String');

/** A provider serving `sdl` (the README's, with hours by default): every district has an office. */
export function housingProvider(sdl = HOUSING_WITH_HOURS): ProviderDefinition {
  return {
    name: 'housing',
    department: 'Housing Bureau',
    server: 'mercurius',
    typeDefs: withSpecDefinitions(sdl),
    store: { version: 1, ddl: 'CREATE TABLE office (district TEXT PRIMARY KEY)', seed: () => undefined },
    resolvers: {
      Query: {
        housingOffice: async (_: unknown, { district }: { district: string }) => {
          if (district === 'slow') await new Promise((resolve) => setTimeout(resolve, 600));
          return { district, phone: `0571-${district.length}000`, hours: '9-17' };
        },
      },
    },
    createContext: () => ({}),
  };
}
