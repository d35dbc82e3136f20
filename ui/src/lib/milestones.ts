// The reminder milestones as the settings page edits them: days before expiry typed as a list
// ("30, 14, 7, 3, 1"), checked here with the same limits as the core (1 to 365 days).

import type { Milestones } from './api';

/** Days as the user reads them: largest first, comma separated. */
export function formatDays(days: readonly number[]): string {
  return [...days].sort((a, b) => b - a).join(', ');
}

/** Parses "30, 14, 7" (commas or spaces); a message naming the bad entry otherwise. */
export function parseDays(text: string): { days: number[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const days = new Set<number>();
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return { error: `"${p}" is not a whole number of days.` };
    const n = Number(p);
    if (n < 1 || n > 365) return { error: `${n} is outside 1 to 365 days.` };
    days.add(n);
  }
  return { days: [...days].sort((a, b) => b - a) };
}

/** Whether a grace-period setting is a whole number from 0 to 365. */
export const validGraceDays = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 365;

/** The sentence under the form: what the settings mean, in order. */
export function describe(m: Milestones): string {
  const before = m.days_before.length
    ? `${formatDays(m.days_before)} days before expiry, on the day`
    : 'On the day of expiry';
  const grace: string[] = [];
  if (m.grace_every_days > 0) grace.push(`every ${m.grace_every_days} days during grace`);
  if (m.grace_daily_last_days > 0) grace.push(`daily in its last ${m.grace_daily_last_days} days`);
  const during = grace.length ? `, ${grace.join(' and ')}` : '';
  return `${before}${during}, at lapse, and at once when a credential turns to Error.`;
}
