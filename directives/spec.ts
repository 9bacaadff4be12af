// A JointGraph directive spec: a versioned @link target whose definitions tooling can supply.

export interface DirectiveSpec {
  name: string;
  version: string;
  url: string;
  directive: `@${string}`;
  /** The directive and its argument types, as a subgraph must define them. */
  sdl: string;
}
