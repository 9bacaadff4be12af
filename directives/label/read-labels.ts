// Reads the @label proposals in a (super)graph: field labels by schema coordinate (`Type.field`)
// and type labels by type name, the defaults for their fields.

import { Kind, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { readDirectiveUsages, type DirectiveUsages } from '../read-directive-usages.ts';
import { GRADES, SHARING_TYPES, type Label } from './label.ts';

export type LabelProposals = DirectiveUsages<Label>;

export function labelFromDirective(directive: ConstDirectiveNode): Label {
  const label: Partial<Label> = {};
  for (const arg of directive.arguments ?? []) {
    const v = arg.value;
    const value = v.kind === Kind.INT ? Number(v.value) : v.kind === Kind.BOOLEAN ? v.value : 'value' in v ? v.value : undefined;
    (label as Record<string, unknown>)[arg.name.value] = value;
  }
  if (!SHARING_TYPES.includes(label.sharing as never) || !GRADES.includes(label.grade as never)) {
    throw new Error(`@label needs a sharing type and a grade, got ${JSON.stringify(label)}`);
  }
  return label as Label;
}

export function readLabelProposals(sdl: string | DocumentNode): LabelProposals {
  return readDirectiveUsages(sdl, 'label', labelFromDirective);
}
