import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { manyByKey, oneByKey, type Db, type ResolverMap } from '../kit/index.ts';

type TaxpayerRow = { creditCode: string; rating: string; ratedOn: string; arrears: number };
type AnnualRow = { creditCode: string; year: number; amount: number };

export interface TaxContext {
  taxpayers: DataLoader<string, TaxpayerRow | null>;
  annual: DataLoader<string, AnnualRow[]>;
}

export function createTaxContext(db: Db): TaxContext {
  const where = 'IN (SELECT value FROM json_each(?))';
  return {
    taxpayers: new DataLoader(
      oneByKey<TaxpayerRow>(db, `SELECT credit_code AS creditCode, credit_rating AS rating, rated_on AS ratedOn, arrears FROM taxpayer WHERE credit_code ${where}`, 'creditCode'),
    ),
    annual: new DataLoader(
      manyByKey<AnnualRow>(db, `SELECT credit_code AS creditCode, year, amount FROM annual_tax WHERE credit_code ${where} ORDER BY credit_code, year`, 'creditCode'),
    ),
  };
}

async function taxpayer(e: { creditCode: string }, ctx: TaxContext): Promise<TaxpayerRow> {
  const row = await ctx.taxpayers.load(e.creditCode);
  if (!row) {
    throw new GraphQLError(`No taxpayer record for ${e.creditCode}.`, {
      extensions: { code: 'TAXPAYER_NOT_FOUND', hint: 'The enterprise is not registered with the Taxation Bureau.' },
    });
  }
  return row;
}

export const taxResolvers: ResolverMap = {
  Enterprise: {
    __resolveReference: (ref: { creditCode: string; riskClass?: number }) => ref,
    taxCreditRating: async (e: { creditCode: string }, _: unknown, ctx: TaxContext) => (await taxpayer(e, ctx)).rating,
    taxRatedOn: async (e: { creditCode: string }, _: unknown, ctx: TaxContext) => (await taxpayer(e, ctx)).ratedOn,
    taxArrears: async (e: { creditCode: string }, _: unknown, ctx: TaxContext) => (await taxpayer(e, ctx)).arrears,
    inspectionPriority: async (e: { creditCode: string; riskClass: number }, _: unknown, ctx: TaxContext) =>
      inspectionPriority((await taxpayer(e, ctx)).rating, e.riskClass),
    annualTax: (e: { creditCode: string }, _: unknown, ctx: TaxContext) => ctx.annual.load(e.creditCode),
  },
};

/** Poorly rated taxpayers in a high market-risk class are inspected first. */
export function inspectionPriority(rating: string, riskClass: number): 'ROUTINE' | 'ELEVATED' | 'URGENT' {
  const ratingRisk = { A: 0, B: 1, M: 1, C: 2, D: 3 }[rating] ?? 1;
  const score = ratingRisk + riskClass;
  return score >= 6 ? 'URGENT' : score >= 4 ? 'ELEVATED' : 'ROUTINE';
}
