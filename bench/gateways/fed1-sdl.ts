// The mercurius gateway reads Federation 1 only. This rewrites Federation-2 subgraph SDL into the
// Federation-1 form it expects, for its eyes only (the subgraphs are unchanged): no @link
// schema extension, no composed custom directives, `extend type` for an entity the subgraph
// does not own and for Query, with the entity's key fields marked @external there.

import { Kind, parse, print, visit, type DefinitionNode, type DirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';

const FEDERATION_1 = new Set(['key', 'external', 'requires', 'provides', 'extends']);

function keyFields(type: ObjectTypeDefinitionNode): Set<string> {
  const keys = (type.directives ?? []).filter((d) => d.name.value === 'key');
  return new Set(keys.flatMap((d) => (d.arguments?.[0]?.value.kind === Kind.STRING ? d.arguments[0].value.value.split(/[\s{}]+/).filter(Boolean) : [])));
}

/** The subgraph defining most of an entity's fields owns it: `type` there, `extend type` elsewhere. */
export function entityOwners(sdls: Record<string, string>): Map<string, string> {
  const best = new Map<string, { subgraph: string; fields: number }>();
  for (const [subgraph, sdl] of Object.entries(sdls)) {
    for (const def of parse(sdl).definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || keyFields(def).size === 0) continue;
      const fields = def.fields?.length ?? 0;
      if ((best.get(def.name.value)?.fields ?? -1) < fields) best.set(def.name.value, { subgraph, fields });
    }
  }
  return new Map([...best].map(([type, b]) => [type, b.subgraph]));
}

export function toFederation1(subgraph: string, sdl: string, owners: Map<string, string>): string {
  const withoutCustom = visit(parse(sdl), {
    Directive: (d: DirectiveNode) => (FEDERATION_1.has(d.name.value) ? undefined : null),
    DirectiveDefinition: () => null,
    SchemaExtension: () => null,
    EnumTypeDefinition: (e) => (/^(label|quality)__/.test(e.name.value) ? null : undefined),
  });
  const definitions = withoutCustom.definitions.map((def): DefinitionNode => {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) return def;
    const keys = keyFields(def);
    const extension = def.name.value === 'Query' || (keys.size > 0 && owners.get(def.name.value) !== subgraph);
    if (!extension) return def;
    const external: DirectiveNode = { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'external' } };
    const fields = def.fields?.map((f) =>
      keys.has(f.name.value) && !f.directives?.some((d) => d.name.value === 'external') ? { ...f, directives: [...(f.directives ?? []), external] } : f,
    );
    return { ...def, kind: Kind.OBJECT_TYPE_EXTENSION, fields } as unknown as DefinitionNode;
  });
  return print({ ...withoutCustom, definitions });
}
