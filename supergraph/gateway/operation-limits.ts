// Operation limits, checked on the parsed document before anything else runs (graphql-js's own
// validation included): fields, root fields, variables, depth, aliases and directives. Depth,
// aliases and directives are graphql-armor's rules, which walk each fragment once; the field
// count is ours and memoised per fragment, so even a document built to explode when its
// fragments are inlined is measured in linear time and refused before pruning or planning.
// The cost estimate needs the variables, so it runs once they are coerced (operation-cost.ts).
// A refusal names the limit, the measured value and the allowed value.

import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { ERRORS } from '../errors/index.ts';

export interface OperationLimits {
  /** Fields written in the document, and fields of an operation once its fragments are inlined. */
  maxFields: number;
  /** Fields asked for at the root of one operation (fragments inlined). */
  maxRootFields: number;
  /** Variables one operation declares. */
  maxVariables: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** The estimated cost of one operation (operation-cost.ts); an app's registry entry may set its own. */
  maxCost: number;
}

/** Large enough for the sample domain's and the benchmark's queries (fan-out up to 10,000). */
export const DEFAULT_LIMITS: OperationLimits = Object.freeze({
  maxFields: 1_000, maxRootFields: 20, maxVariables: 50, maxDepth: 15, maxAliases: 30, maxDirectives: 50, maxCost: 200_000,
});

type Limit = keyof OperationLimits | 'maxPageSize';

/** The refusal of one limit, naming the measured and the allowed value. */
export function limitError(limit: Limit, message: string, measured?: number, allowed?: number, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`${message} Limit: ${limit}.`, {
    extensions: {
      code: 'OPERATION_LIMIT_EXCEEDED',
      hint: ERRORS.OPERATION_LIMIT_EXCEEDED.hint,
      limit,
      ...extra,
      ...(measured !== undefined ? { measured, allowed } : {}),
    },
  });
}

/** Reports armor's refusal through the validation context, with a stable code, instead of throwing. */
function reporter(limit: Limit) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    const [, allowed, measured] = /(\d+) exceeded, found (\d+)/.exec(message) ?? [];
    context?.reportError(limitError(limit, message, measured ? Number(measured) : undefined, allowed ? Number(allowed) : undefined));
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
          if (found > n) context.reportError(limitError('maxFields', `Field limit of ${n} exceeded, found ${found} or more (fragments inlined).`, found, n));
        },
      },
    };
  };
}

/** Root fields of each operation, with the fragments at its root inlined (each counted once). */
function maxRootFieldsRule(n: number): ValidationRule {
  return (context) => {
    const rootFields = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
      let total = 0;
      for (const s of selectionSet.selections) {
        if (s.kind === Kind.FIELD) total += 1;
        else if (s.kind === Kind.INLINE_FRAGMENT) total += rootFields(s.selectionSet, seen);
        else if (!seen.has(s.name.value)) {
          seen.add(s.name.value);
          const fragment = context.getFragment(s.name.value);
          if (fragment) total += rootFields(fragment.selectionSet, seen);
        }
      }
      return total;
    };
    return {
      OperationDefinition(operation) {
        const found = rootFields(operation.selectionSet, new Set());
        if (found > n) context.reportError(limitError('maxRootFields', `Root field limit of ${n} exceeded, found ${found}.`, found, n));
      },
    };
  };
}

function maxVariablesRule(n: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const found = operation.variableDefinitions?.length ?? 0;
      if (found > n) context.reportError(limitError('maxVariables', `Variable limit of ${n} exceeded, found ${found}.`, found, n));
    },
  });
}

export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  // Fragments count for what they hold, not as a level of their own.
  const common = { exposeLimits: true, propagateOnRejection: false, flattenFragments: true } as const;
  return [
    maxFieldsRule(limits.maxFields),
    maxRootFieldsRule(limits.maxRootFields),
    maxVariablesRule(limits.maxVariables),
    maxDepthRule({ ...common, n: limits.maxDepth, ignoreIntrospection: true, onReject: [reporter('maxDepth')] }),
    maxAliasesRule({ ...common, n: limits.maxAliases, onReject: [reporter('maxAliases')] }),
    maxDirectivesRule({ ...common, n: limits.maxDirectives, onReject: [reporter('maxDirectives')] }),
  ] as ValidationRule[];
}
