// The dashboard's list logic, pure and fast enough for ten thousand rows: urgency order, the tabs
// and their counts, and search over text lowercased once when the list arrives (never per
// keystroke).

import type { CredentialSummary, StateId } from './api';
import { STATE_LABEL, credentialTitle } from './format';

export type Tab = 'all' | 'renewal_required' | 'expired' | 'error';

export const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'renewal_required', label: 'Renewal Required' },
  { id: 'expired', label: 'Expired' },
  { id: 'error', label: 'Error' },
];

/** The tab a state belongs to besides All (Expired holds Lapsed too). */
export function tabOf(state: StateId): Tab {
  switch (state) {
    case 'renewal_required':
      return 'renewal_required';
    case 'expired':
    case 'lapsed':
      return 'expired';
    case 'error':
      return 'error';
    default:
      return 'all';
  }
}

/** How urgent a state is, as the core's `State::urgency`: higher first. */
export function urgency(state: StateId): number {
  switch (state) {
    case 'error':
      return 4;
    case 'lapsed':
      return 3;
    case 'expired':
      return 2;
    case 'renewal_required':
      return 1;
    default:
      return 0;
  }
}

/** A dashboard row: the credential plus what sorting and searching need, computed once. */
export interface Row {
  readonly c: CredentialSummary;
  /** Expiry in ms since the epoch; NaN when unknown. */
  readonly expiry: number;
  /**
   * Lowercased client, title (with the label), identity, Apple Account and state, for search:
   * built on first need ({@link searchText}), so the first render does not wait for it.
   */
  text: string | null;
  readonly tab: Tab;
  /** Lowercased client name, for sorting. */
  readonly clientKey: string;
}

/** Most urgent first; then soonest expiry (unknown first); then client and label. */
export function compareRows(a: Row, b: Row): number {
  const u = urgency(b.c.status.state) - urgency(a.c.status.state);
  if (u !== 0) return u;
  const an = Number.isNaN(a.expiry);
  const bn = Number.isNaN(b.expiry);
  if (an !== bn) return an ? -1 : 1;
  if (!an && a.expiry !== b.expiry) return a.expiry - b.expiry;
  if (a.clientKey !== b.clientKey) return a.clientKey < b.clientKey ? -1 : 1;
  return a.c.label < b.c.label ? -1 : a.c.label > b.c.label ? 1 : 0;
}

/** A row's search text, built once. */
export function searchText(r: Row): string {
  if (r.text === null) {
    const c = r.c;
    // Fields joined by a character nobody types, so a search never matches across two fields.
    r.text = (
      c.client +
      '\u0000' +
      credentialTitle(c) +
      '\u0000' +
      c.identity +
      '\u0000' +
      (c.apple_account ?? '') +
      '\u0000' +
      STATE_LABEL[c.status.state]
    ).toLowerCase();
  }
  return r.text;
}

/** Builds every row's search text ahead of the first keystroke (call it after the first paint). */
export function prepareSearch(rows: readonly Row[]): void {
  for (let i = 0; i < rows.length; i++) searchText(rows[i]);
}

/**
 * Builds the rows once per list, sorted by urgency. The shell already sends them in that order,
 * so the sort is skipped when a linear check confirms it.
 */
export function indexCredentials(list: readonly CredentialSummary[]): Row[] {
  const rows: Row[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    rows[i] = {
      c,
      expiry: c.expires_at ? Date.parse(c.expires_at) : NaN,
      text: null,
      tab: tabOf(c.status.state),
      clientKey: c.client.toLowerCase(),
    };
  }
  for (let i = 1; i < rows.length; i++) {
    if (compareRows(rows[i - 1], rows[i]) > 0) return rows.sort(compareRows);
  }
  return rows;
}

/** The search terms of a query: lowercased words, every one must match. */
export function terms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

export type Counts = Record<Tab, number>;

export interface View {
  /** The rows of the selected tab that match the search, in urgency order. */
  rows: Row[];
  /** How many rows match the search in each tab. */
  counts: Counts;
}

/** One pass over the rows: the tab's matching rows and every tab's count. */
export function view(rows: readonly Row[], tab: Tab, query: string): View {
  const words = terms(query);
  const counts: Counts = { all: 0, renewal_required: 0, expired: 0, error: 0 };
  const out: Row[] = [];
  outer: for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (words.length) {
      const text = searchText(r);
      for (let w = 0; w < words.length; w++) {
        if (!text.includes(words[w])) continue outer;
      }
    }
    counts.all++;
    if (r.tab !== 'all') counts[r.tab]++;
    if (tab === 'all' || r.tab === tab) out.push(r);
  }
  return { rows: out, counts };
}

/** The most urgent state among credentials (a client's overall state); null when none. */
export function worstState(states: Iterable<StateId>): StateId | null {
  let worst: StateId | null = null;
  for (const s of states) {
    if (worst === null || urgency(s) > urgency(worst)) worst = s;
  }
  return worst;
}
