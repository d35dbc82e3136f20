import { describe, expect, test } from 'vitest';
import {
  adviceFor,
  baseName,
  credentialTitle,
  dateInputToRfc3339,
  formatDate,
  formatDateTime,
  formatLongDate,
  timePhrase,
  toDateInput,
} from '../src/lib/format';
import { summary } from './fixtures';

describe('timePhrase (same words as the core)', () => {
  test.each([
    [12, 30, '12 days left'],
    [1, 30, '1 day left'],
    [0, 30, 'expires within a day'],
    [-1, 30, 'expired 1 day ago: 29 days of grace left'],
    [-3, 30, 'expired 3 days ago: 27 days of grace left'],
    [-29, 30, 'expired 29 days ago: 1 day of grace left'],
    [-30, 30, 'expired 30 days ago: 0 days of grace left'],
    [-40, 30, 'expired 40 days ago, past the grace period'],
    [-1, 0, 'expired 1 day ago, past the grace period'],
    [null, 30, 'expiry unknown'],
  ])('%s days with %s days of grace', (days, grace, expected) => {
    expect(timePhrase(days, grace)).toBe(expected);
  });
});

describe('dates in the user locale and time zone', () => {
  test('short and long dates', () => {
    expect(formatDate('2027-03-04T00:00:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('4 Mar 2027');
    expect(formatDate('2027-03-04T00:00:00Z', { locale: 'en-US', timeZone: 'UTC' })).toBe('Mar 4, 2027');
    expect(formatDate('2027-03-04T00:00:00Z', { locale: 'de-DE', timeZone: 'UTC' })).toBe('4. März 2027');
    expect(formatLongDate('2027-03-04T00:00:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('4 March 2027');
  });

  test('the formatters made once are kept apart by format, locale and time zone', () => {
    const iso = '2027-03-04T02:00:00Z';
    const own = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
    // In turn, so that each call finds the formatters the others made.
    for (let round = 0; round < 2; round++) {
      expect(formatDate(iso)).toBe(own);
      expect(formatDate(iso, { locale: 'en-GB', timeZone: 'UTC' })).toBe('4 Mar 2027');
      expect(formatLongDate(iso, { locale: 'en-GB', timeZone: 'UTC' })).toBe('4 March 2027');
      expect(formatDate(iso, { locale: 'en-GB', timeZone: 'America/Los_Angeles' })).toBe('3 Mar 2027');
      expect(formatDate(iso, { locale: 'en-US', timeZone: 'UTC' })).toBe('Mar 4, 2027');
      expect(toDateInput(iso, { timeZone: 'UTC' })).toBe('2027-03-04');
    }
  });

  test('the time zone moves the day', () => {
    expect(formatDate('2027-03-04T02:00:00Z', { locale: 'en-GB', timeZone: 'America/Los_Angeles' })).toBe('3 Mar 2027');
    expect(toDateInput('2027-03-04T02:00:00Z', { timeZone: 'America/Los_Angeles' })).toBe('2027-03-03');
  });

  test('date and time', () => {
    expect(formatDateTime('2027-03-04T14:05:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe('4 Mar 2027, 14:05');
  });

  test('missing or broken dates', () => {
    expect(formatDate(null)).toBe('unknown');
    expect(formatDate('not a date')).toBe('unknown');
    expect(formatLongDate(undefined)).toBe('an unknown date');
    expect(toDateInput(null)).toBe('');
  });

  test('a typed expiry becomes the end of that day in UTC', () => {
    expect(dateInputToRfc3339('2026-01-17')).toBe('2026-01-17T23:59:59Z');
    expect(dateInputToRfc3339('2026-02-30')).toBeNull();
    expect(dateInputToRfc3339('17/01/2026')).toBeNull();
    expect(dateInputToRfc3339('')).toBeNull();
  });
});

describe('credentialTitle reads like the row of the design', () => {
  test.each([
    ['push_certificate', 'APNs certificate', 'APNs certificate'],
    ['push_certificate', 'APNs certificate 2', 'APNs certificate 2'],
    ['push_certificate', 'Jamf', 'APNs certificate: Jamf'],
    ['server_token', 'Cupertino ABM', 'ADE token: Cupertino ABM'],
    ['server_token', 'ADE token', 'ADE token'],
    ['content_token', 'Main Street', 'Apps and Books: Main Street'],
    ['content_token', 'Apps and Books token', 'Apps and Books token'],
    ['content_token', '', 'Apps and Books'],
  ] as const)('%s labelled "%s"', (kind, label, expected) => {
    expect(credentialTitle({ kind, label })).toBe(expected);
  });
});

describe('advice', () => {
  const o = { locale: 'en-GB', timeZone: 'UTC' };
  test('renewal required names the date and the effect', () => {
    const c = summary({ kind: 'server_token', state: 'renewal_required', expires_at: '2027-03-04T00:00:00Z' });
    expect(adviceFor(c, o)).toBe('Renew before 4 March 2027 so new devices keep enrolling automatically.');
  });
  test('expired APNs speaks of what vendors report, not a promise', () => {
    const text = adviceFor(summary({ state: 'expired', days: -3 }), o) ?? '';
    expect(text).toContain('vendors report');
  });
  test('active needs nothing', () => {
    expect(adviceFor(summary(), o)).toBeNull();
  });
});

test('baseName on any OS', () => {
  expect(baseName('/home/me/Downloads/MDM_Token_smime.p7m')).toBe('MDM_Token_smime.p7m');
  expect(baseName('C:\\Users\\me\\sToken_for_Main.vpptoken')).toBe('sToken_for_Main.vpptoken');
});
