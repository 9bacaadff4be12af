export { LABEL_SPEC } from './label-spec.ts';
export { CLOSED_DEFAULT, GRADES, gradeRank, sameLabel, SHARING_TYPES, type Grade, type Label, type SharingType } from './label.ts';
export { labelFromDirective, readLabelProposals, type LabelProposals } from './read-labels.ts';
