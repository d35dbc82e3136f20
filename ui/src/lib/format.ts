// Words and dates as the technician reads them. Pure: the locale and time zone are arguments
// (defaulting to the user's), so tests pin them.

import type { CredentialSummary, Kind, Portal, StateId } from './api';
import { VOCABULARY } from './vocabulary';

// The names and labels come from the core's table (crates/core/src/words.rs), generated into
// vocabulary.ts: the shell, the command line and the UI say the same words.
const KINDS = VOCABULARY.kinds;
const byKind = <T>(pick: (k: (typeof KINDS)[Kind]) => T): Record<Kind, T> => ({
  push_certificate: pick(KINDS.push_certificate),
  server_token: pick(KINDS.server_token),
  content_token: pick(KINDS.content_token),
});

/** Short name of a kind, as a row starts: "APNs certificate". */
export const KIND_NAME: Record<Kind, string> = byKind((k) => k.row_name);

/** The name with its article, for sentences: "This is an Apps and Books token". */
export const KIND_ARTICLE: Record<Kind, string> = byKind((k) => k.article);

/** Section titles of the client page. */
export const KIND_SECTION: Record<Kind, string> = byKind((k) => k.section);

/** What the file looks like, for drop zones and pickers. */
export const KIND_FILE: Record<Kind, string> = byKind((k) => k.file);

/** Extensions offered by the file picker (the content decides, not the name). */
export const KIND_EXTENSIONS: Record<Kind, string[]> = {
  push_certificate: ['pem', 'crt', 'cer', 'p12', 'pfx'],
  server_token: ['p7m'],
  content_token: ['vpptoken'],
};

/** What the identity of each kind is called. */
export const IDENTITY_NAME: Record<Kind, string> = byKind((k) => k.identity_name);

export const STATE_LABEL: Record<StateId, string> = {
  active: VOCABULARY.states.active.label,
  renewal_required: VOCABULARY.states.renewal_required.label,
  expired: VOCABULARY.states.expired.label,
  lapsed: VOCABULARY.states.lapsed.label,
  error: VOCABULARY.states.error.label,
};

export const PORTAL_NAME: Record<Portal, string> = {
  business: VOCABULARY.portals.business[0],
  school: VOCABULARY.portals.school[0],
};

export const PORTAL_URL: Record<Portal, string> = {
  business: VOCABULARY.portals.business[1],
  school: VOCABULARY.portals.school[1],
};

export const PUSH_PORTAL_URL = 'https://identity.apple.com';

/**
 * What a credential is, as a row reads: "APNs certificate", "ADE token: Cupertino ABM",
 * "Apps and Books: Main Street". A label that already starts with the kind's name (the core's
 * defaults: "APNs certificate", "ADE token 2") is not repeated.
 */
export function credentialTitle(c: Pick<CredentialSummary, 'kind' | 'label'>): string {
  const name = KIND_NAME[c.kind];
  const label = c.label.trim();
  if (!label) return name;
  if (label.toLowerCase().startsWith(name.toLowerCase())) return label;
  return `${name}: ${label}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The time left in words, as the core's `Status::time_phrase` (computed here for the 10,000-row
 * dashboard; tests/vocabulary.test.ts checks it against the core's answers): "12 days left",
 * "expired 3 days ago: 27 days of grace left", "expired 40 days ago, past the grace period",
 * "expiry unknown".
 */
export function timePhrase(daysLeft: number | null, graceDays: number): string {
  if (daysLeft === null || daysLeft === undefined) return 'expiry unknown';
  if (daysLeft > 0) return `${plural(daysLeft, 'day')} left`;
  if (daysLeft === 0) return 'expires within a day';
  const ago = -daysLeft;
  const graceLeft = graceDays - ago;
  if (graceLeft >= 0) return `expired ${plural(ago, 'day')} ago: ${plural(graceLeft, 'day')} of grace left`;
  return `expired ${plural(ago, 'day')} ago, past the grace period`;
}

// The formats used, each one object: the formatters are cached by it.
const SHORT_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const LONG_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const INPUT_DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/** The formatters made, by format, then by locale and time zone ('' for the user's own). */
const formatters = new Map<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

// A scrolling dashboard formats every row of every frame: the user's own locale and zone (the
// usual case) is found without building a key.
function formatter(locale: string | undefined, timeZone: string | undefined, options: Intl.DateTimeFormatOptions) {
  let made = formatters.get(options);
  if (!made) formatters.set(options, (made = new Map()));
  const key = locale === undefined && timeZone === undefined ? '' : `${locale ?? ''}|${timeZone ?? ''}`;
  let f = made.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    made.set(key, f);
  }
  return f;
}

export interface DateOptions {
  locale?: string;
  timeZone?: string;
}

/** The user's own locale and time zone (a default shared by every call). */
const HERE: DateOptions = Object.freeze({});

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A date in the user's locale and time zone ("4 Mar 2027"); "unknown" when there is none. */
export function formatDate(iso: string | null | undefined, o: DateOptions = HERE): string {
  const d = parse(iso);
  if (!d) return 'unknown';
  return formatter(o.locale, o.timeZone, SHORT_DATE).format(d);
}

/** A date written out, for sentences: "4 March 2027". */
export function formatLongDate(iso: string | null | undefined, o: DateOptions = HERE): string {
  const d = parse(iso);
  if (!d) return 'an unknown date';
  return formatter(o.locale, o.timeZone, LONG_DATE).format(d);
}

/** A moment, for the event log: "4 Mar 2027, 14:05". */
export function formatDateTime(iso: string | null | undefined, o: DateOptions = HERE): string {
  const d = parse(iso);
  if (!d) return 'unknown';
  return formatter(o.locale, o.timeZone, DATE_TIME).format(d);
}

/** `YYYY-MM-DD` of a moment in the given (or local) time zone, for `<input type="date">`. */
export function toDateInput(iso: string | null | undefined, o: DateOptions = HERE): string {
  const d = parse(iso);
  if (!d) return '';
  const parts = formatter('en-CA', o.timeZone, INPUT_DATE).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The expiry a user typed (`YYYY-MM-DD` from a date input, the day ABM shows) as RFC 3339 UTC.
 * ABM shows a day, not a time: the end of that day in UTC is the safe reading (never earlier).
 */
export function dateInputToRfc3339(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d, 23, 59, 59));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

/** The sentence under a card or a row that says what to do, if anything (the core's advice). */
export function adviceFor(c: Pick<CredentialSummary, 'kind' | 'status' | 'expires_at'>, o: DateOptions = HERE): string | null {
  const templates: Partial<Record<StateId, string>> = VOCABULARY.advice[c.kind];
  const template = templates[c.status.state];
  return template ? template.replace('{date}', formatLongDate(c.expires_at, o)) : null;
}

/** "1 credential", "3 credentials". */
export function count(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? word : pluralWord}`;
}

/** The file name of a path, on any OS. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** The MDM vendors the "Connect MDM" form offers, with what each asks (core's words). */
export const VENDORS = VOCABULARY.vendors;
export type VendorId = keyof typeof VOCABULARY.vendors;
/** "File", "MDM", "File and MDM". */
export const SOURCE_LABEL = VOCABULARY.sources;
