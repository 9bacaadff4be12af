// Reads @pageSize declarations from a (super)graph, by schema coordinate.

import { Kind, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { readDirectiveUsages } from '../read-directive-usages.ts';

export interface PageSize {
  max: number;
  slicingArguments: readonly string[];
}

function pageSizeFromDirective(directive: ConstDirectiveNode): PageSize {
  let max = 0;
  let slicingArguments: readonly string[] = ['first', 'last'];
  for (const arg of directive.arguments ?? []) {
    if (arg.name.value === 'max' && arg.value.kind === Kind.INT) max = Number(arg.value.value);
    if (arg.name.value === 'slicingArguments' && arg.value.kind === Kind.LIST) {
      slicingArguments = arg.value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
    }
  }
  return { max, slicingArguments };
}

/** Declared page sizes by coordinate (`Query.enterprises`). */
export function readPageSizes(sdl: string | DocumentNode): Map<string, PageSize> {
  return readDirectiveUsages(sdl, 'pageSize', pageSizeFromDirective).fields;
}
