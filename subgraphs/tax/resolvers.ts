import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { fieldDistrict, manyByKey, oneByKey, perDistrict, type CallerAssertion, type Db, type ResolverMap } from '../kit/index.ts';

type TaxpayerRow = { creditCode: string; district: string; rating: string; ratedOn: string; arrears: number };
type AnnualRow = { creditCode: string; year: number; amount: number; district: string };

export interface TaxContext {
  /** Taxpayer rows for one field: kept in the store's own query to the district the caller's grant limits that field to. */
  taxpayers(coordinate: string): DataLoader<string, TaxpayerRow | null>;
  /** Taxpayer rows whatever the caller's grant: to know a record's jurisdiction. */
  jurisdiction: DataLoader<string, TaxpayerRow | null>;
  annual: DataLoader<string, AnnualRow[]>;
}

const KEPT = 'AND (@district IS NULL OR tax_office_district = @district)';

export function createTaxContext(db: Db, caller?: CallerAssertion): TaxContext {
  const taxpayers = perDistrict((district) =>
    new DataLoader(
      oneByKey<TaxpayerRow>(
        db,
        `SELECT credit_code AS creditCode, tax_office_district AS district, credit_rating AS rating, rated_on AS ratedOn, arrears
         FROM taxpayer WHERE credit_code IN (SELECT value FROM json_each(@keys)) ${KEPT}`,
        'creditCode',
        { district },
      ),
    ),
  );
  return {
    taxpayers: (coordinate) => taxpayers(fieldDistrict(caller, coordinate)),
    jurisdiction: taxpayers(null),
    annual: new DataLoader(
      manyByKey<AnnualRow>(
        db,
        `SELECT credit_code AS creditCode, year, amount, tax_office_district AS district FROM annual_tax JOIN taxpayer USING (credit_code)
         WHERE credit_code IN (SELECT value FROM json_each(@keys)) ${KEPT} ORDER BY credit_code, year`,
        'creditCode',
        { district: fieldDistrict(caller, 'Enterprise.annualTax') },
      ),
    ),
  };
}

async function taxpayer(e: { creditCode: string }, ctx: TaxContext, coordinate: string): Promise<TaxpayerRow> {
  const row = await ctx.taxpayers(coordinate).load(e.creditCode);
  if (!row) {
    throw new GraphQLError(`No taxpayer record for ${e.creditCode}.`, {
      extensions: { code: 'TAXPAYER_NOT_FOUND', hint: 'The enterprise is not registered with the Taxation Bureau.' },
    });
  }
  return row;
}

export const taxResolvers: ResolverMap = {
  Enterprise: {
    // The registering tax office's district is the record's jurisdiction (null for an enterprise
    // the bureau does not know: nothing of it is released under a district-limited grant).
    __resolveReference: async (ref: { creditCode: string; riskClass?: number }, ctx: TaxContext) =>
      ({ ...ref, district: (await ctx.jurisdiction.load(ref.creditCode))?.district ?? null }),
    taxCreditRating: async (e: { creditCode: string }, _: unknown, ctx: TaxContext) => (await taxpayer(e, ctx, 'Enterprise.taxCreditRating')).rating,
    taxRatedOn: async (e: { creditCode: string }, _: unknown, ctx: TaxContext) => (await taxpayer(e, ctx, 'Enterprise.taxRatedOn')).ratedOn,
    taxArrears: async (e: { creditCode: string }, _: unknown, ctx: TaxContext) => (await taxpayer(e, ctx, 'Enterprise.taxArrears')).arrears,
    inspectionPriority: async (e: { creditCode: string; riskClass: number }, _: unknown, ctx: TaxContext) =>
      inspectionPriority((await taxpayer(e, ctx, 'Enterprise.inspectionPriority')).rating, e.riskClass),
    annualTax: (e: { creditCode: string }, _: unknown, ctx: TaxContext) => ctx.annual.load(e.creditCode),
  },
};

/** Poorly rated taxpayers in a high market-risk class are inspected first. */
export function inspectionPriority(rating: string, riskClass: number): 'ROUTINE' | 'ELEVATED' | 'URGENT' {
  const ratingRisk = { A: 0, B: 1, M: 1, C: 2, D: 3 }[rating] ?? 1;
  const score = ratingRisk + riskClass;
  return score >= 6 ? 'URGENT' : score >= 4 ? 'ELEVATED' : 'ROUTINE';
}
