// A record outside the requester's granted district is withheld whole: the shield's per-field
// FORBIDDEN_ROW errors become one error per record, and the record itself is null.

import type { GraphQLFormattedError } from 'graphql';

type Json = Record<string, unknown>;

export function collapseRowDenials(data: Json | null | undefined, errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const rows = new Map<string, GraphQLFormattedError>();
  const rest: GraphQLFormattedError[] = [];
  for (const error of errors) {
    if (error.extensions?.code !== 'FORBIDDEN_ROW' || !error.path || error.path.length < 2) {
      rest.push(error);
      continue;
    }
    const recordPath = error.path.slice(0, -1);
    const key = JSON.stringify(recordPath);
    if (!rows.has(key)) rows.set(key, { ...error, path: recordPath, extensions: { ...error.extensions, coordinate: undefined } });
  }
  for (const error of rows.values()) {
    const path = error.path!;
    let container: unknown = data;
    for (const key of path.slice(0, -1)) container = (container as Json | null)?.[key as string];
    if (container && typeof container === 'object') (container as Json)[path.at(-1) as string] = null;
  }
  return [...rest, ...[...rows.values()].map((e) => ({ ...e, extensions: Object.fromEntries(Object.entries(e.extensions ?? {}).filter(([, v]) => v !== undefined)) }))];
}
