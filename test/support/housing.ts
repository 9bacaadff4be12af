// The subgraph docs/provider.md shows a provider how to write ("How a provider adds a subgraph", the
// example housing provider's schema), served by a test double: any district has an office, and
// district "slow" answers only once a test releases it, to hold a request in flight.

import { readFileSync } from 'node:fs';
import { withSpecDefinitions } from '../../directives/index.ts';
import type { ProviderDefinition } from '../../subgraphs/index.ts';

const PROVIDER_DOC = readFileSync(new URL('../../docs/provider.md', import.meta.url), 'utf8');

/** The SDL block printed in docs/provider.md. */
export const DOCUMENTED_HOUSING_SDL = /```graphql\n(extend schema[\s\S]*?)```/.exec(PROVIDER_DOC.slice(PROVIDER_DOC.indexOf('## How a provider adds a subgraph')))![1]!;

/** The example housing provider's own schema file, which docs/provider.md must print as it is. */
export const HOUSING_SCHEMA_FILE = readFileSync(new URL('../../subgraphs/housing/schema.graphql', import.meta.url), 'utf8');

/** docs/provider.md's subgraph with an `hours` field beside `phone`. */
export const HOUSING_WITH_HOURS = DOCUMENTED_HOUSING_SDL.replace('phone: String!', 'phone: String!\n  hours: String');

/** District "slow"'s office, held at the provider: a test waits for a request to arrive and lets it answer. */
export interface HeldOffice {
  /** Resolves once a request for district "slow" has reached the provider. */
  reached: Promise<void>;
  /** Lets every request for district "slow" answer. */
  release(): void;
}

export function heldOffice(): HeldOffice & { arrive(): Promise<void> } {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const arrive = () => {
    reach();
    return released;
  };
  return { reached, release, arrive };
}

/** A provider serving `sdl` (docs/provider.md's, with hours by default): every district has an office, district "slow" held by `slow`. */
export function housingProvider(sdl = HOUSING_WITH_HOURS, slow = heldOffice()): ProviderDefinition {
  return {
    name: 'housing',
    department: 'Housing Bureau',
    server: 'mercurius',
    typeDefs: withSpecDefinitions(sdl),
    store: { version: 1, ddl: 'CREATE TABLE office (district TEXT PRIMARY KEY)', seed: () => undefined },
    resolvers: {
      Query: {
        housingOffice: async (_: unknown, { district }: { district: string }) => {
          if (district === 'slow') await slow.arrive();
          return { district, phone: `0571-${district.length}000`, hours: '9-17' };
        },
      },
    },
    createContext: () => ({}),
  };
}
