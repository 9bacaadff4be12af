import DataLoader from 'dataloader';
import { manyByKey, oneByKey, type Db, type ResolverMap } from '../kit/index.ts';

type RecordRow = Record<string, unknown> & { personId: string; employerCode: string | null };

export interface SocialInsuranceContext {
  records: DataLoader<string, RecordRow[]>;
  insuredCounts: DataLoader<string, { insured: number } | null>;
}

export function createSocialInsuranceContext(db: Db): SocialInsuranceContext {
  const where = 'IN (SELECT value FROM json_each(?))';
  return {
    records: new DataLoader(
      manyByKey<RecordRow>(
        db,
        `SELECT person_id AS personId, kind, employer_code AS employerCode, months_paid AS monthsPaid, monthly_base AS monthlyBase, since
         FROM insurance_record WHERE person_id ${where} ORDER BY person_id, kind`,
        'personId',
      ),
    ),
    insuredCounts: new DataLoader(
      oneByKey<{ employerCode: string; insured: number }>(
        db,
        `SELECT employer_code AS employerCode, COUNT(DISTINCT person_id) AS insured
         FROM insurance_record WHERE employer_code ${where} GROUP BY employer_code`,
        'employerCode',
      ),
    ),
  };
}

export const socialInsuranceResolvers: ResolverMap = {
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    insuranceRecords: (person: { id: string }, _: unknown, ctx: SocialInsuranceContext) => ctx.records.load(person.id),
  },
  Enterprise: {
    __resolveReference: (ref: { creditCode: string }) => ({ creditCode: ref.creditCode }),
    insuredEmployees: async (e: { creditCode: string }, _: unknown, ctx: SocialInsuranceContext) =>
      (await ctx.insuredCounts.load(e.creditCode))?.insured ?? 0,
  },
  InsuranceRecord: {
    employer: (record: RecordRow) => (record.employerCode === null ? null : { creditCode: record.employerCode }),
  },
};
