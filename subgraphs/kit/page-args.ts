import { GraphQLError } from 'graphql';

export const MAX_PAGE = 10_000;

/** Validates list paging arguments; a provider answers bad ones with BAD_USER_INPUT. */
export function pageArgs(args: { first?: number | null; offset?: number | null }): { first: number; offset: number } {
  const first = args.first ?? 20;
  const offset = args.offset ?? 0;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE || !Number.isInteger(offset) || offset < 0) {
    throw new GraphQLError(`"first" must be between 0 and ${MAX_PAGE} and "offset" must not be negative.`, {
      extensions: { code: 'BAD_USER_INPUT', hint: `Page through larger results with first ≤ ${MAX_PAGE} and a growing offset.` },
    });
  }
  return { first, offset };
}
