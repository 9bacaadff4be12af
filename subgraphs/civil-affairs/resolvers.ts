import DataLoader from 'dataloader';
import { fieldDistrict, manyByKey, oneByKey, type CallerAssertion, type Db, type ResolverMap } from '../kit/index.ts';

type FileRow = { id: string; district: string };
type MaritalRow = { personId: string; status: string };
type AllowanceRow = { personId: string; startDate: string; endDate: string | null; monthlyAmount: number; district: string };

export interface CivilAffairsContext {
  /** Who asks (the verified assertion), when the provider verifies its callers. */
  caller?: CallerAssertion;
  files: DataLoader<string, FileRow | null>;
  marital: DataLoader<string, MaritalRow | null>;
  allowances: DataLoader<string, AllowanceRow[]>;
}

// A field kept to a district (`@district`, null when it is not) is read only for residents whose
// file that district keeps: the filter is in the store's own query, not only in the kit's check.
const IN_DISTRICT = `person_id IN (SELECT value FROM json_each(@keys))
  AND (@district IS NULL OR person_id IN (SELECT person_id FROM resident_file WHERE district = @district))`;

export function createCivilAffairsContext(db: Db, caller?: CallerAssertion): CivilAffairsContext {
  return {
    files: new DataLoader(oneByKey<FileRow>(db, 'SELECT person_id AS id, district FROM resident_file WHERE person_id IN (SELECT value FROM json_each(?))', 'id')),
    marital: new DataLoader(
      oneByKey<MaritalRow>(db, `SELECT person_id AS personId, status FROM marital_status WHERE ${IN_DISTRICT}`, 'personId', {
        district: fieldDistrict(caller, 'Person.maritalStatus'),
      }),
    ),
    allowances: new DataLoader(
      manyByKey<AllowanceRow>(
        db,
        `SELECT a.person_id AS personId, start_date AS startDate, end_date AS endDate, monthly_amount AS monthlyAmount, f.district
         FROM subsistence_allowance a JOIN resident_file f USING (person_id) WHERE a.${IN_DISTRICT} ORDER BY a.person_id, start_date`,
        'personId',
        { district: fieldDistrict(caller, 'Person.subsistenceAllowances') },
      ),
    ),
  };
}

export const civilAffairsResolvers: ResolverMap = {
  Person: {
    // The resident's file names its district, read only when a district-limited grant needs it; a
    // resident without a file has none (and under such a grant nothing of it is released).
    __resolveReference: async (ref: { id: string }, ctx: CivilAffairsContext) =>
      ctx.caller?.rows ? { id: ref.id, district: (await ctx.files.load(ref.id))?.district ?? null } : { id: ref.id },
    maritalStatus: async (p: { id: string }, _: unknown, ctx: CivilAffairsContext) => (await ctx.marital.load(p.id))?.status ?? null,
    subsistenceAllowances: (p: { id: string }, _: unknown, ctx: CivilAffairsContext) => ctx.allowances.load(p.id),
  },
};
