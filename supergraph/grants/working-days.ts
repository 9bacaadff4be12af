// Reply deadlines are set in working days of mainland China's official calendar: public holidays
// do not count, adjusted working weekends (调休) do, and a day is a day in Asia/Shanghai.

import chineseDays from 'chinese-days';

/** The operator's own exceptions to the official calendar, as Shanghai dates (`YYYY-MM-DD`). */
export interface WorkingCalendar {
  extraHolidays: readonly string[];
  extraWorkdays: readonly string[];
}

export const OFFICIAL_CALENDAR: WorkingCalendar = Object.freeze({ extraHolidays: [], extraWorkdays: [] });

// Asia/Shanghai has kept UTC+8, without daylight saving, since 1991.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

function shanghaiDate(instant: number): { iso: string; year: number; month: number; day: number } {
  const local = new Date(instant + SHANGHAI_OFFSET_MS);
  const [year, month, day] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
  return { iso: local.toISOString().slice(0, 10), year, month, day };
}

/**
 * chinese-days reads a Date with the process's local-time getters, so the date is handed over as
 * local noon, which names the same day in every time zone. For a year past the package's data it
 * answers from the weekday alone: Saturdays and Sundays off, no public holidays, no 调休.
 */
function officialWorkday(year: number, month: number, day: number): boolean {
  return chineseDays.isWorkday(new Date(year, month - 1, day, 12));
}

export function isWorkingDay(instant: Date, calendar: WorkingCalendar = OFFICIAL_CALENDAR): boolean {
  const { iso, year, month, day } = shanghaiDate(instant.getTime());
  if (calendar.extraHolidays.includes(iso)) return false;
  if (calendar.extraWorkdays.includes(iso)) return true;
  return officialWorkday(year, month, day);
}

/** The same time of day, `days` working days after the Shanghai day of `from`. */
export function addWorkingDays(from: Date, days: number, calendar: WorkingCalendar = OFFICIAL_CALENDAR): Date {
  let instant = from.getTime();
  let left = days;
  while (left > 0) {
    instant += DAY_MS;
    if (isWorkingDay(new Date(instant), calendar)) left--;
  }
  return new Date(instant);
}
