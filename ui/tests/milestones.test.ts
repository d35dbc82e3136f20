import { describe as group, expect, it } from 'vitest';
import { describe, formatDays, parseDays, validGraceDays } from '../src/lib/milestones';

group('reminder milestones', () => {
  it('reads days in any order and separator, largest first, without repeats', () => {
    expect(parseDays('1, 30 7;14,7')).toEqual({ days: [30, 14, 7, 1] });
    expect(parseDays('')).toEqual({ days: [] });
  });

  it('names the entry it cannot take', () => {
    expect(parseDays('30, two')).toEqual({ error: '"two" is not a whole number of days.' });
    expect(parseDays('30, 7.5')).toEqual({ error: '"7.5" is not a whole number of days.' });
    expect(parseDays('0')).toEqual({ error: '0 is outside 1 to 365 days.' });
    expect(parseDays('400')).toEqual({ error: '400 is outside 1 to 365 days.' });
  });

  it('formats what it parses back the same way', () => {
    expect(formatDays([1, 3, 30, 14, 7])).toBe('30, 14, 7, 3, 1');
  });

  it('checks grace settings as whole days up to a year', () => {
    expect(validGraceDays(0)).toBe(true);
    expect(validGraceDays(7)).toBe(true);
    expect(validGraceDays(-1)).toBe(false);
    expect(validGraceDays(2.5)).toBe(false);
    expect(validGraceDays(null)).toBe(false);
  });

  it('says in one sentence when reminders come', () => {
    expect(describe({ days_before: [30, 14, 7, 3, 1], grace_every_days: 7, grace_daily_last_days: 7 })).toBe(
      '30, 14, 7, 3, 1 days before expiry, on the day, every 7 days during grace and daily in its last 7 days, at lapse, and at once when a credential turns to Error.',
    );
    expect(describe({ days_before: [], grace_every_days: 0, grace_daily_last_days: 0 })).toBe(
      'On the day of expiry, at lapse, and at once when a credential turns to Error.',
    );
  });
});
