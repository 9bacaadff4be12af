import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { addWorkingDays } from '../supergraph/grants/index.ts';
import { authorizationSettings } from '../server/authorization.ts';

const deadline = (filed: string, days: number, calendar?: Parameters<typeof addWorkingDays>[2]) =>
  addWorkingDays(new Date(filed), days, calendar).toISOString();

describe('reply deadlines on mainland China’s working calendar', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('skips the National Day holidays of 2025 and counts the adjusted working Saturday and Sunday', () => {
    // Filed Tuesday 30 September, 10:00 in Shanghai; 1–8 October are holidays, Saturday 11 October is worked.
    expect(deadline('2025-09-30T02:00:00Z', 5)).toBe('2025-10-14T02:00:00.000Z'); // 9, 10, 11, 13, 14 October
    expect(deadline('2025-09-30T02:00:00Z', 3)).toBe('2025-10-11T02:00:00.000Z');
    // Filed Friday 26 September: Sunday 28 September is a working day.
    expect(deadline('2025-09-26T02:00:00Z', 1)).toBe('2025-09-28T02:00:00.000Z');
  });

  it('skips the Spring Festival holidays of 2026 and counts its working Saturdays', () => {
    // 15–23 February are holidays; Saturdays 14 and 28 February are worked.
    expect(deadline('2026-02-13T02:00:00Z', 1)).toBe('2026-02-14T02:00:00.000Z');
    expect(deadline('2026-02-13T02:00:00Z', 2)).toBe('2026-02-24T02:00:00.000Z');
    expect(deadline('2026-02-13T02:00:00Z', 6)).toBe('2026-02-28T02:00:00.000Z');
  });

  it('counts days from midnight in Shanghai, not in UTC', () => {
    // 23:30 UTC on Sunday 16 November 2025 is 07:30 on Monday 17 November in Shanghai:
    // five working days later is Monday 24 November, 07:30 in Shanghai.
    expect(deadline('2025-11-16T23:30:00Z', 5)).toBe('2025-11-23T23:30:00.000Z');
    // 20:00 UTC on Friday 14 November is already Saturday in Shanghai: one working day later is Monday.
    expect(deadline('2025-11-14T20:00:00Z', 1)).toBe('2025-11-16T20:00:00.000Z');
  });

  it('gives the same deadlines whatever the time zone of the process', () => {
    for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = zone;
      expect(deadline('2025-09-30T02:00:00Z', 3)).toBe('2025-10-11T02:00:00.000Z');
      expect(deadline('2025-11-16T23:30:00Z', 5)).toBe('2025-11-23T23:30:00.000Z');
    }
  });

  it('skips Saturdays and Sundays alone beyond the years the calendar data covers', () => {
    // Thursday 1 October 2099 is counted: no holiday data reaches that far.
    expect(deadline('2099-09-30T02:00:00Z', 2)).toBe('2099-10-02T02:00:00.000Z');
    expect(deadline('2099-09-30T02:00:00Z', 3)).toBe('2099-10-05T02:00:00.000Z');
  });

  it('follows the operator’s extra holidays and extra working days', () => {
    const calendar = loadSettings({ JG_EXTRA_HOLIDAYS: '2025-11-18, 2025-11-19', JG_EXTRA_WORKDAYS: '2025-11-22' }).workingCalendar;
    expect(calendar).toEqual({ extraHolidays: ['2025-11-18', '2025-11-19'], extraWorkdays: ['2025-11-22'] });
    // Filed Monday 17 November (Shanghai): 18 and 19 are off, Saturday 22 is worked.
    expect(deadline('2025-11-17T02:00:00Z', 3)).toBe('2025-11-20T02:00:00.000Z');
    expect(deadline('2025-11-17T02:00:00Z', 3, calendar)).toBe('2025-11-22T02:00:00.000Z');
    // An extra holiday on an official working day wins over the official calendar.
    expect(deadline('2025-10-10T02:00:00Z', 1, { extraHolidays: ['2025-10-11'], extraWorkdays: [] })).toBe('2025-10-13T02:00:00.000Z');
    expect(authorizationSettings(loadSettings({ JG_EXTRA_WORKDAYS: '2025-11-22' })).workingCalendar).toEqual({ extraHolidays: [], extraWorkdays: ['2025-11-22'] });
  });

  it('refuses extra dates that are not dates, or that are both a holiday and a working day', () => {
    expect(loadSettings({}).workingCalendar).toEqual({ extraHolidays: [], extraWorkdays: [] });
    for (const bad of ['2025-13-01', '2025-02-30', '18/11/2025', '2025-11-18,', 'tomorrow']) {
      expect(() => loadSettings({ JG_EXTRA_HOLIDAYS: bad })).toThrow(ConfigError);
    }
    expect(() => loadSettings({ JG_EXTRA_HOLIDAYS: '2025-13-01' })).toThrow(/^JG_EXTRA_HOLIDAYS: expected comma-separated dates as YYYY-MM-DD, got "2025-13-01"/);
    expect(() => loadSettings({ JG_EXTRA_HOLIDAYS: '2025-11-22', JG_EXTRA_WORKDAYS: '2025-11-22' })).toThrow(/^JG_EXTRA_WORKDAYS: expected no date also in JG_EXTRA_HOLIDAYS/);
  });
});
