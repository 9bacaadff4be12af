// Housing Bureau: one office per district. Not one of the sample city's five departments: the
// example of a department that joins later and publishes its subgraph itself (docs/provider.md,
// "How a provider adds a subgraph", prints this schema, and `npm run providers -- --only housing`
// serves it).

import { withSpecDefinitions } from '../../directives/index.ts';
import { readSdl, type Db, type ProviderDefinition } from '../kit/index.ts';
import { DISTRICTS } from '../synthetic/index.ts';

interface Office {
  district: string;
  phone: string;
}

export const housing: ProviderDefinition<{ office(district: string): Office | undefined }> = {
  name: 'housing',
  department: 'Housing Bureau',
  server: 'apollo',
  typeDefs: withSpecDefinitions(readSdl(import.meta.url)),
  store: {
    version: 1,
    ddl: 'CREATE TABLE office (district TEXT PRIMARY KEY, phone TEXT NOT NULL) WITHOUT ROWID;',
    seed(db) {
      const insert = db.prepare('INSERT INTO office VALUES (?, ?)');
      for (const { code } of DISTRICTS) insert.run(code, `0571-87${code.slice(-2)}1234`);
    },
  },
  resolvers: {
    Query: {
      housingOffice: (_: unknown, { district }: { district: string }, context: { office(district: string): Office | undefined }) => context.office(district) ?? null,
    },
  },
  createContext(db: Db) {
    const one = db.prepare('SELECT district, phone FROM office WHERE district = ?');
    return { office: (district: string) => one.get(district) as Office | undefined };
  },
};
