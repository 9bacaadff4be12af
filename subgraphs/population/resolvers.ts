import DataLoader from 'dataloader';
import { oneByKey, prepared, type Db, type ResolverMap } from '../kit/index.ts';
import { pageArgs } from '../kit/page-args.ts';
import { PERSON_COLUMNS } from './store.ts';

export interface PersonRow {
  id: string;
  name: string;
  gender: string;
  birthDate: string;
  ethnicity: string;
  householdAddress: string;
  district: string;
}

export interface PopulationContext {
  db: Db;
  persons: DataLoader<string, PersonRow | null>;
}

export function createPopulationContext(db: Db): PopulationContext {
  return {
    db,
    persons: new DataLoader(
      oneByKey<PersonRow & Record<string, unknown>>(db, `SELECT ${PERSON_COLUMNS} FROM person WHERE id IN (SELECT value FROM json_each(?))`, 'id'),
    ),
  };
}

const PEOPLE_PAGE = `SELECT ${PERSON_COLUMNS} FROM person
  WHERE (@district IS NULL OR district = @district) ORDER BY seq LIMIT @first OFFSET @offset`;

export const populationResolvers: ResolverMap = {
  Query: {
    person: (_: unknown, { id }: { id: string }, ctx: PopulationContext) => ctx.persons.load(id),
    people(_: unknown, args: { district?: string | null; first?: number; offset?: number }, ctx: PopulationContext) {
      const { first, offset } = pageArgs(args);
      return prepared(ctx.db, PEOPLE_PAGE).all({ district: args.district ?? null, first, offset });
    },
  },
  Person: {
    __resolveReference: (ref: { id: string }, ctx: PopulationContext) => ctx.persons.load(ref.id),
  },
};
