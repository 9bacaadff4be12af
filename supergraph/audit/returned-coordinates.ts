// What a response actually carried: the coordinates of the non-null fields in its data, and the
// number of entities (objects of a @key type) in it.

import type { DocumentNode, GraphQLSchema } from 'graphql';
import { walkResponse } from '../response/index.ts';

export interface Returned {
  coordinates: string[];
  entities: number;
}

export function returnedCoordinates(schema: GraphQLSchema, document: DocumentNode, data: Record<string, unknown> | null | undefined, entityTypes: ReadonlySet<string>): Returned {
  const coordinates = new Set<string>();
  const entities = new Set<object>();
  const isEntity = new Map<string, boolean>();
  walkResponse(schema, document, data, ({ coordinate, value }) => {
    if (value === null || value === undefined) return;
    coordinates.add(coordinate);
    if (typeof value !== 'object') return;
    let entity = isEntity.get(coordinate);
    if (entity === undefined) isEntity.set(coordinate, (entity = entityTypes.has(coordinateType(schema, coordinate))));
    if (!entity) return;
    if (Array.isArray(value)) for (const item of value) item && typeof item === 'object' && entities.add(item);
    else entities.add(value);
  }, { paths: false });
  return { coordinates: [...coordinates].sort(), entities: entities.size };
}

/** The named type a coordinate's field returns. */
function coordinateType(schema: GraphQLSchema, coordinate: string): string {
  const [type, field] = coordinate.split('.') as [string, string];
  const t = schema.getType(type);
  const f = t && 'getFields' in t ? (t.getFields() as Record<string, { type: { toString(): string } }>)[field] : undefined;
  return f ? f.type.toString().replace(/[[\]!]/g, '') : '';
}
