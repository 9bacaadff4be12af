// Operation limits, checked on the parsed document before anything else runs (graphql-js's own
// validation included): fields, depth, aliases, directives and a cost estimate that multiplies through list sizes (`first`/`last`). The rules
// are graphql-armor's, which walk each fragment once, so even a document built to explode when
// its fragments are inlined is measured in linear time and refused before pruning or planning.
// A refusal names the limit, the measured value and the allowed value.

import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { ERRORS } from '../errors/index.ts';

export interface OperationLimits {
  /** Fields written in the document, and fields of an operation once its fragments are inlined. */
  maxFields: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** graphql-armor's cost: 1 per leaf, 2 per object, ×1.5 per level, × the list size asked for. */
  maxCost: number;
}

/** Large enough for the sample domain's and the benchmark's queries (fan-out up to 10,000). */
export const DEFAULT_LIMITS: OperationLimits = Object.freeze({ maxFields: 1_000, maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxCost: 500_000 });

type Limit = keyof OperationLimits;

/** Reports armor's refusal through the validation context, with a stable code, instead of throwing. */
function reporter(limit: Limit) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    const [, allowed, measured] = /(\d+) exceeded, found (\d+)/.exec(message) ?? [];
    context?.reportError(
      new GraphQLError(`${message} Limit: ${limit}.`, {
        extensions: {
          code: 'OPERATION_LIMIT_EXCEEDED',
          hint: ERRORS.OPERATION_LIMIT_EXCEEDED.hint,
          limit,
          ...(measured ? { measured: Number(measured), allowed: Number(allowed) } : {}),
        },
      }),
    );
  };
}

/**
 * Fields: those written in the document (graphql-js's field-merging check is quadratic in them),
 * and those of each operation once its fragments are inlined (what pruning, printing and
 * planning walk), whichever is larger. Each fragment is counted once and its count reused, so a
 * document built to explode when inlined is measured in linear time.
 */
function maxFieldsRule(n: number): ValidationRule {
  return (context) => {
    let written = 0;
    const inlined = new Map<string, number>();
    const count = (selectionSet: SelectionSetNode, visiting: ReadonlySet<string>): number => {
      let total = 0;
      for (const s of selectionSet.selections) {
        if (s.kind === Kind.FIELD) total += 1 + (s.selectionSet ? count(s.selectionSet, visiting) : 0);
        else if (s.kind === Kind.INLINE_FRAGMENT) total += count(s.selectionSet, visiting);
        else total += fragmentFields(s.name.value, visiting);
        // Past the limit the exact figure no longer matters, and the sum stays a safe integer.
        if (total > n) return total;
      }
      return total;
    };
    const fragmentFields = (name: string, visiting: ReadonlySet<string>): number => {
      const known = inlined.get(name);
      if (known !== undefined) return known;
      const fragment = context.getFragment(name);
      // Cycles and unknown fragments are graphql-js's to report; they add nothing here.
      if (!fragment || visiting.has(name)) return 0;
      const total = count(fragment.selectionSet, new Set([...visiting, name]));
      inlined.set(name, total);
      return total;
    };
    let largest = 0;
    return {
      Field() {
        written += 1;
      },
      OperationDefinition(operation) {
        largest = Math.max(largest, count(operation.selectionSet, new Set()));
      },
      Document: {
        leave() {
          const found = Math.max(written, largest);
          if (found > n) reporter('maxFields')(context, new GraphQLError(`Field limit of ${n} exceeded, found ${found} or more (fragments inlined).`));
        },
      },
    };
  };
}

export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  // Fragments count for what they hold, not as a level of their own.
  const common = { exposeLimits: true, propagateOnRejection: false, flattenFragments: true } as const;
  return [
    maxFieldsRule(limits.maxFields),
    maxDepthRule({ ...common, n: limits.maxDepth, ignoreIntrospection: true, onReject: [reporter('maxDepth')] }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [reporter('maxAliases')] }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: [reporter('maxDirectives')] }),
    costLimitRule({ ...common, maxCost: limits.maxCost, ignoreIntrospection: true, onReject: [reporter('maxCost')] }),
  ] as ValidationRule[];
}
