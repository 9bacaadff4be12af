// GraphQL-over-HTTP content negotiation: application/graphql-response+json when the client
// accepts it, application/json for legacy clients, 406 for anything else.

export const GRAPHQL_RESPONSE = 'application/graphql-response+json';
export const JSON_TYPE = 'application/json';

export type GraphQLMediaType = typeof GRAPHQL_RESPONSE | typeof JSON_TYPE;

/** The response media type for an Accept header, or null when none is acceptable. */
export function negotiateMediaType(accept: string | undefined): GraphQLMediaType | null {
  if (!accept || accept.trim() === '') return JSON_TYPE;
  let best: { type: GraphQLMediaType; q: number } | null = null;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
    if (!(q > 0)) continue;
    const type: GraphQLMediaType | null =
      range === GRAPHQL_RESPONSE ? GRAPHQL_RESPONSE
      : range === JSON_TYPE || range === 'application/*' || range === '*/*' ? JSON_TYPE
      : null;
    if (type && (!best || q > best.q || (q === best.q && type === GRAPHQL_RESPONSE && range === GRAPHQL_RESPONSE))) best = { type, q };
  }
  return best?.type ?? null;
}
