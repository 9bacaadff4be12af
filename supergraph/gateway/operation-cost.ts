// The cost of one operation, estimated once its variables are known and before pruning or
// planning: every field costs 1, and a list field a provider pages (`@pageSize`) multiplies its
// selection by the page asked for (its slicing argument, from a literal, a variable or the
// argument's default; the declared maximum when none is given). A page larger than the
// provider's maximum is refused outright. The walk is graphql-query-complexity's; its node
// limit and the field limit (checked first) keep it linear in a bounded document.

import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { PageSize } from '../../directives/index.ts';
import { limitError } from './operation-limits.ts';

export interface OperationCost {
  cost: number;
  /** Pages asked for beyond a provider's declared maximum. */
  oversized: { coordinate: string; argument: string; measured: number; allowed: number }[];
}

export type CostOf = (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined) => OperationCost;

/** Nodes walked at most: above the field limit, so that only a broken bound could reach it. */
const MAX_NODES = 20_000;

export function operationCost(schema: GraphQLSchema, pageSizes: ReadonlyMap<string, PageSize>): CostOf {
  // An operation without variables costs the same every time.
  const constant = new WeakMap<OperationDefinitionNode, OperationCost>();
  return (document, operation, variables) => {
    const known = constant.get(operation);
    if (known) return known;
    const oversized: OperationCost['oversized'] = [];
    const pages: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
      const coordinate = `${type.name}.${field.name}`;
      const declared = pageSizes.get(coordinate);
      if (!declared) return 1 + childComplexity;
      let page: number | undefined;
      for (const argument of declared.slicingArguments) {
        const value = args[argument];
        if (typeof value !== 'number') continue;
        if (value > declared.max) oversized.push({ coordinate, argument, measured: value, allowed: declared.max });
        page = Math.max(page ?? 0, value);
      }
      return 1 + childComplexity * Math.max(0, page ?? declared.max);
    };
    let cost: number;
    try {
      cost = getComplexity({ schema, query: document, variables: variables ?? {}, estimators: [pages], maxQueryNodes: MAX_NODES, ...(operation.name ? { operationName: operation.name.value } : {}) });
    } catch {
      cost = Number.POSITIVE_INFINITY;
    }
    const result = { cost, oversized };
    if (!operation.variableDefinitions?.length) constant.set(operation, result);
    return result;
  };
}

/** The refusals for an operation over its budget or asking for pages too large; none when it may run. */
export function costRefusals({ cost, oversized }: OperationCost, budget: number): GraphQLError[] {
  const refusals = oversized.map((o) =>
    limitError('maxPageSize', `${o.coordinate} serves pages of at most ${o.allowed}; "${o.argument}" asks for ${o.measured}.`, o.measured, o.allowed, { coordinate: o.coordinate }),
  );
  if (cost > budget) {
    const measured = Number.isFinite(cost) ? Math.ceil(cost) : undefined;
    refusals.push(limitError('maxCost', `Cost limit of ${budget} exceeded, found ${measured ?? 'more than can be counted'}.`, measured, budget));
  }
  return refusals;
}
