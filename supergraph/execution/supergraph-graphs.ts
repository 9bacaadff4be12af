// The subgraphs a supergraph names (join__Graph), with the URL composition recorded for each.

import { Kind, parse, type DocumentNode, type EnumTypeDefinitionNode } from 'graphql';

export interface SupergraphGraph {
  /** The join__Graph enum value, e.g. `SOCIAL_INSURANCE`. */
  graph: string;
  name: string;
  url: string;
}

export function supergraphGraphs(supergraph: string | DocumentNode): SupergraphGraph[] {
  const doc = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const joinGraph = doc.definitions.find(
    (d): d is EnumTypeDefinitionNode => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph',
  );
  return (joinGraph?.values ?? []).flatMap((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const arg = (n: string) => {
      const v = directive?.arguments?.find((a) => a.name.value === n)?.value;
      return v?.kind === Kind.STRING ? v.value : undefined;
    };
    const name = arg('name');
    return name ? [{ graph: value.name.value, name, url: arg('url') ?? '' }] : [];
  });
}
