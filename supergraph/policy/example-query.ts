// The query GraphiQL opens with: fields the policy lets any authenticated app receive, whatever
// its grants and purpose, so it answers without denials for every caller; a comment where none is.

import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { LabelCatalog } from '../labels/index.ts';
import { decide, type Subject } from './decide.ts';

/** Items asked of a list, where the root field takes `first`. */
const EXAMPLE_ITEMS = 3;

/** A caller that holds no grant: what it may receive, every caller may. */
const ANY_APP: Subject = {
  requester: { appId: 'any authenticated app', name: 'any authenticated app', department: '', roles: [], district: null },
  purpose: 'any',
  grants: [],
};

const NONE = `# No field is shared with every app: each one needs a grant.
# Apply for the fields you need (console: Catalogue, or the apply mutation on /admin/graphql);
# once the provider and the operator approve, query them here with your key and purpose.
`;

const needsArguments = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/** `catalog` absent: authorization is off, and every field is served. */
export function exampleQuery(schema: GraphQLSchema, catalog?: LabelCatalog): string {
  const allowed = (coordinate: string) => !catalog || decide(ANY_APP, catalog.fields.get(coordinate)).allowed;
  for (const root of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const type = getNamedType(root.type);
    if (needsArguments(root) || !isObjectType(type) || !allowed(`Query.${root.name}`)) continue;
    const leaves = Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !needsArguments(f) && allowed(`${type.name}.${f.name}`));
    if (leaves.length === 0) continue;
    const args = root.args.some((a) => a.name === 'first') ? `(first: ${EXAMPLE_ITEMS})` : '';
    const note = catalog
      ? '# Fields every authenticated app may receive (shared unconditionally). Fields shared on\n# condition answer FORBIDDEN_FIELD until your app holds a grant for your purpose.'
      : '# Authorization is off: every field is served.';
    return `${note}
{
  ${root.name}${args} {
${leaves.map((f) => `    ${f.name}`).join('\n')}
  }
}
`;
  }
  return NONE;
}
