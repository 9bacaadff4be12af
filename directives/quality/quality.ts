// TypeScript view of a @quality declaration.

export const UPDATE_CYCLES = ['REALTIME', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];

/** How old a value may be before it is stale, per declared cycle (REALTIME allows a minute). */
export const CYCLE_SECONDS: Readonly<Record<UpdateCycle, number>> = Object.freeze({
  REALTIME: 60,
  HOURLY: 3_600,
  DAILY: 86_400,
  WEEKLY: 7 * 86_400,
  MONTHLY: 31 * 86_400,
  YEARLY: 366 * 86_400,
});

export interface Quality {
  /** The department answerable for the source (GB/T 36344: the provider's dimensions). */
  owner: string;
  contact?: string;
  updateCycle: UpdateCycle;
  /** A field of the entity that holds the as-of time; otherwise the provider's last update time. */
  asOfField?: string;
  /** Declared share of non-null values, 0–1. */
  completeness?: number;
  /** The standard values follow (normativity), e.g. "GB 11643-1999". */
  standard?: string;
  accuracy?: string;
  consistency?: string;
}
