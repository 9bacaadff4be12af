// What changed between two versions of a subgraph's SDL, by schema coordinate: fields and
// arguments added, removed, or whose type changed. Directives (labels) are not compared here;
// the label report covers them.

import { buildASTSchema, isInputObjectType, isInterfaceType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { withSpecDefinitions } from '../../directives/index.ts';

export interface SchemaDiff {
  added: string[];
  removed: string[];
  /** Coordinates whose type changed, with the old and new type. */
  changed: { coordinate: string; from: string; to: string }[];
}

const FEDERATION_TYPES = /^(_Service|_Entity|_Any|link__|join__|federation__)/;

/** `Type.field` → its type, `Type.field(arg:)` → the argument's type. */
function coordinates(schema: GraphQLSchema): Map<string, string> {
  const out = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || FEDERATION_TYPES.test(type.name)) continue;
    if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      out.set(`${type.name}.${field.name}`, String(field.type));
      for (const arg of 'args' in field ? field.args : []) out.set(`${type.name}.${field.name}(${arg.name}:)`, String(arg.type));
    }
  }
  return out;
}

export function subgraphSchema(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(withSpecDefinitions(sdl)), { assumeValidSDL: true });
}

/** The coordinates a composed supergraph serves. */
export function supergraphCoordinates(supergraphSdl: string): Set<string> {
  return new Set(coordinates(buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true })).keys());
}

export function schemaDiff(before: string, after: string): SchemaDiff {
  const [a, b] = [coordinates(subgraphSchema(before)), coordinates(subgraphSchema(after))];
  return {
    added: [...b.keys()].filter((c) => !a.has(c)).sort(),
    removed: [...a.keys()].filter((c) => !b.has(c)).sort(),
    changed: [...a].filter(([c, t]) => b.has(c) && b.get(c) !== t).map(([coordinate, from]) => ({ coordinate, from, to: b.get(coordinate)! })).sort((x, y) => x.coordinate.localeCompare(y.coordinate)),
  };
}
