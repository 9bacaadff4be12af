// Operation limits, checked on the parsed document before anything else runs (graphql-js's own
// validation included): fields, depth, aliases, directives and a cost estimate that multiplies through list sizes (`first`/`last`). The rules
// are graphql-armor's, which walk each fragment once, so even a document built to explode when
// its fragments are inlined is measured in linear time and refused before pruning or planning.
// A refusal names the limit, the measured value and the allowed value.

import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { ERRORS } from '../errors/index.ts';

export interface OperationLimits {
  /** Field selections written in the document (fragments counted once). */
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

/** Bounds graphql-js's own validation, whose field-merging check is quadratic in the fields of a selection. */
function maxFieldsRule(n: number): ValidationRule {
  return (context) => {
    let fields = 0;
    return {
      Field() {
        fields += 1;
      },
      Document: {
        leave() {
          if (fields > n) reporter('maxFields')(context, new GraphQLError(`Field limit of ${n} exceeded, found ${fields}.`));
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
