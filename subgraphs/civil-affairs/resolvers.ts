import DataLoader from 'dataloader';
import { manyByKey, oneByKey, type Db, type ResolverMap } from '../kit/index.ts';

type MaritalRow = { personId: string; status: string };
type AllowanceRow = { personId: string; startDate: string; endDate: string | null; monthlyAmount: number };

export interface CivilAffairsContext {
  marital: DataLoader<string, MaritalRow | null>;
  allowances: DataLoader<string, AllowanceRow[]>;
}

export function createCivilAffairsContext(db: Db): CivilAffairsContext {
  const where = 'IN (SELECT value FROM json_each(?))';
  return {
    marital: new DataLoader(oneByKey<MaritalRow>(db, `SELECT person_id AS personId, status FROM marital_status WHERE person_id ${where}`, 'personId')),
    allowances: new DataLoader(
      manyByKey<AllowanceRow>(
        db,
        `SELECT person_id AS personId, start_date AS startDate, end_date AS endDate, monthly_amount AS monthlyAmount
         FROM subsistence_allowance WHERE person_id ${where} ORDER BY person_id, start_date`,
        'personId',
      ),
    ),
  };
}

export const civilAffairsResolvers: ResolverMap = {
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    maritalStatus: async (p: { id: string }, _: unknown, ctx: CivilAffairsContext) => (await ctx.marital.load(p.id))?.status ?? null,
    subsistenceAllowances: (p: { id: string }, _: unknown, ctx: CivilAffairsContext) => ctx.allowances.load(p.id),
  },
};
