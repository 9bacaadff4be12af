// Quality figures as the console words them: shares as percentages, ages in the largest whole
// unit, and an age as a share of its declared update cycle (the gateway's own table of cycles,
// which the console's build digest covers too).

import { CYCLE_SECONDS, UPDATE_CYCLES, type UpdateCycle } from '../../directives/quality/quality.ts';

export interface FieldQuality {
  coordinate: string;
  provider: string;
  declared: { updateCycle: UpdateCycle; completeness: number | null };
  measured: { samples: number; nullRate: number | null; completenessMet: boolean | null; maxAgeSeconds: number | null; staleValues: number };
}

export const FIELD_QUALITY_FIELDS = 'coordinate provider declared { updateCycle completeness } measured { samples nullRate completenessMet maxAgeSeconds staleValues }';

export const percent = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);

const UNITS: readonly [string, number][] = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];

export function age(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const [unit, size] = UNITS.find(([, size]) => seconds >= size) ?? UNITS[UNITS.length - 1]!;
  return `${Math.floor(seconds / size)}${unit}`;
}

/** An age as a share of its declared cycle (1: as old as the cycle allows). */
export function ofCycle(seconds: number | null, cycle: string | null): number | null {
  const known = UPDATE_CYCLES.find((c) => c === cycle);
  return seconds === null || !known ? null : seconds / CYCLE_SECONDS[known];
}
