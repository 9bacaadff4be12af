import DataLoader from 'dataloader';
import { manyByKey, oneByKey, prepared, rowDistrict, type CallerAssertion, type Db, type ResolverMap } from '../kit/index.ts';
import { pageArgs } from '../kit/page-args.ts';
import { isValidCreditCode, isValidResidentId } from '../synthetic/index.ts';
import { ENTERPRISE_COLUMNS } from './store.ts';

type EnterpriseRow = Record<string, unknown> & { creditCode: string; legalRepresentativeId: string; district: string };

export interface EnterpriseContext {
  db: Db;
  enterprises: DataLoader<string, EnterpriseRow | null>;
  representedBy: DataLoader<string, EnterpriseRow[]>;
  /** Who asks (the verified assertion), when the provider verifies its callers. */
  caller?: CallerAssertion;
}

export function createEnterpriseContext(db: Db): EnterpriseContext {
  const where = 'IN (SELECT value FROM json_each(?))';
  return {
    db,
    enterprises: new DataLoader(oneByKey<EnterpriseRow>(db, `SELECT ${ENTERPRISE_COLUMNS} FROM enterprise WHERE credit_code ${where}`, 'creditCode')),
    representedBy: new DataLoader(
      manyByKey<EnterpriseRow>(db, `SELECT ${ENTERPRISE_COLUMNS} FROM enterprise WHERE legal_representative_id ${where} ORDER BY seq`, 'legalRepresentativeId'),
    ),
  };
}

interface EnterprisesArgs {
  district?: string | null;
  status?: string | null;
  first?: number;
  offset?: number;
}

const ENTERPRISES_PAGE = `SELECT ${ENTERPRISE_COLUMNS} FROM enterprise
  WHERE (@district IS NULL OR district = @district) AND (@status IS NULL OR status = @status)
  ORDER BY seq LIMIT @first OFFSET @offset`;

export const enterpriseResolvers: ResolverMap = {
  Query: {
    registrant: async (_: unknown, { code }: { code: string }, ctx: EnterpriseContext) => {
      if (isValidResidentId(code)) return { __typename: 'Person', id: code };
      const row = isValidCreditCode(code) ? await ctx.enterprises.load(code) : null;
      return row ? { __typename: 'Enterprise', ...row } : null;
    },
    enterprise: (_: unknown, { creditCode }: { creditCode: string }, ctx: EnterpriseContext) => ctx.enterprises.load(creditCode),
    enterprises(_: unknown, args: EnterprisesArgs, ctx: EnterpriseContext) {
      const { first, offset } = pageArgs(args);
      const kept = rowDistrict(ctx.caller, 'Enterprise');
      if (kept !== null && args.district && args.district !== kept) return [];
      return prepared(ctx.db, ENTERPRISES_PAGE).all({ district: kept ?? args.district ?? null, status: args.status ?? null, first, offset });
    },
  },
  Registrant: {
    __resolveType: (value: { __typename: string }) => value.__typename,
  },
  Enterprise: {
    __resolveReference: (ref: { creditCode: string }, ctx: EnterpriseContext) => ctx.enterprises.load(ref.creditCode),
    legalRepresentative: (row: EnterpriseRow) => ({ id: row.legalRepresentativeId }),
  },
  Person: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    legalRepresentativeOf: (person: { id: string }, _: unknown, ctx: EnterpriseContext) => ctx.representedBy.load(person.id),
  },
};
