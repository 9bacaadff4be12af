import DataLoader from 'dataloader';
import { oneByKey, prepared, rowDistrict, type CallerAssertion, type Db, type ResolverMap } from '../kit/index.ts';
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
  /** Who asks (the verified assertion), when the provider verifies its callers. */
  caller?: CallerAssertion;
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
      // A call kept to one district pages through that district only, in this store's own query.
      const kept = rowDistrict(ctx.caller, 'Person');
      if (kept !== null && args.district && args.district !== kept) return [];
      return prepared(ctx.db, PEOPLE_PAGE).all({ district: kept ?? args.district ?? null, first, offset });
    },
  },
  Person: {
    // A record reached by reference stays whole: the gateway withholds it (FORBIDDEN_ROW) and says
    // why; returning null here would leave the requester a null without a reason.
    __resolveReference: (ref: { id: string }, ctx: PopulationContext) => ctx.persons.load(ref.id),
  },
};
