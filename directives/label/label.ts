// TypeScript view of a @label: the vocabulary of China's sharing framework.

export const SHARING_TYPES = ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'] as const;
export type SharingType = (typeof SHARING_TYPES)[number];

/** Ordered from least to most sensitive (GB/T 43697-2024). */
export const GRADES = ['GENERAL', 'IMPORTANT', 'CORE'] as const;
export type Grade = (typeof GRADES)[number];

export interface Label {
  sharing: SharingType;
  grade: Grade;
  /** Optional sub-level within the grade. */
  level?: number;
  /** Catalogue code, e.g. `population.identity`. */
  category?: string;
  pii?: boolean;
  /** Legal basis; required when `sharing` is `NOT_SHARED`. */
  basis?: string;
}

/** What an unlabeled field is treated as: closed by default. */
export const CLOSED_DEFAULT: Readonly<Label> = Object.freeze({ sharing: 'CONDITIONAL', grade: 'CORE' });

export function gradeRank(grade: Grade): number {
  return GRADES.indexOf(grade);
}

export function sameLabel(a: Label, b: Label): boolean {
  return (
    a.sharing === b.sharing && a.grade === b.grade && (a.level ?? null) === (b.level ?? null) &&
    (a.category ?? null) === (b.category ?? null) && Boolean(a.pii) === Boolean(b.pii) && (a.basis ?? null) === (b.basis ?? null)
  );
}
