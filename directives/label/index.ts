export { LABEL_SPEC } from './label-spec.ts';
export { GRADES, SHARING_TYPES, type Grade, type Label, type SharingType } from './label.ts';
