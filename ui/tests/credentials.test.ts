import { describe, expect, test } from 'vitest';
import { indexCredentials, tabOf, terms, view, worstState } from '../src/lib/credentials';
import { summary } from './fixtures';

const list = [
  summary({ client: 'Zeta', state: 'active', days: 300, apple_account: 'it@zeta.example' }),
  summary({ client: 'Acme', state: 'renewal_required', days: 12 }),
  summary({ client: 'Beta', state: 'expired', days: -3, kind: 'server_token', label: 'Cupertino ABM', identity: 'CK_75b2eb55cec9' }),
  summary({ client: 'Gamma', state: 'lapsed', days: -40, kind: 'content_token', label: 'Main Street', identity: 'Main Street School' }),
  summary({ client: 'Delta', state: 'error', days: null, reason: 'expiry unknown: import the token with its private key' }),
  summary({ client: 'Acme', state: 'renewal_required', days: 3, kind: 'content_token', label: 'Harbour', identity: 'Acme Harbour Ltd' }),
  summary({ client: 'Epsilon', state: 'active', days: 100 }),
];

describe('urgency order', () => {
  test('error, lapsed, expired, renewal required (soonest first), active (soonest first)', () => {
    const rows = indexCredentials(list);
    expect(rows.map((r) => `${r.c.client}:${r.c.status.state}`)).toEqual([
      'Delta:error',
      'Gamma:lapsed',
      'Beta:expired',
      'Acme:renewal_required',
      'Acme:renewal_required',
      'Epsilon:active',
      'Zeta:active',
    ]);
    expect(rows[3].c.status.days_left).toBe(3);
  });

  test('an unknown expiry comes before a known one in the same state', () => {
    const rows = indexCredentials([
      summary({ client: 'A', state: 'error', days: 10, reason: 'revoked' }),
      summary({ client: 'B', state: 'error', days: null, reason: 'expiry unknown' }),
    ]);
    expect(rows.map((r) => r.c.client)).toEqual(['B', 'A']);
  });

  test('same state and expiry: by client, case-insensitive, then label', () => {
    const at = '2026-06-01T00:00:00Z';
    const rows = indexCredentials([
      summary({ client: 'beta', expires_at: at, label: 'b' }),
      summary({ client: 'Alpha', expires_at: at, label: 'z' }),
      summary({ client: 'beta', expires_at: at, label: 'a' }),
    ]);
    expect(rows.map((r) => `${r.c.client}/${r.c.label}`)).toEqual(['Alpha/z', 'beta/a', 'beta/b']);
  });
});

describe('tabs and counts', () => {
  test('Expired holds Lapsed too; All holds everything', () => {
    expect(tabOf('lapsed')).toBe('expired');
    expect(tabOf('active')).toBe('all');
    const v = view(indexCredentials(list), 'all', '');
    expect(v.counts).toEqual({ all: 7, renewal_required: 2, expired: 2, error: 1 });
    expect(v.rows).toHaveLength(7);
  });

  test('a tab shows only its states', () => {
    const rows = indexCredentials(list);
    expect(view(rows, 'expired', '').rows.map((r) => r.c.status.state)).toEqual(['lapsed', 'expired']);
    expect(view(rows, 'error', '').rows.map((r) => r.c.client)).toEqual(['Delta']);
    expect(view(rows, 'renewal_required', '').rows).toHaveLength(2);
  });
});

describe('search', () => {
  const rows = indexCredentials(list);
  test('by client, label, identity, organisation, kind words; case-insensitive', () => {
    expect(view(rows, 'all', 'acme').rows.map((r) => r.c.client)).toEqual(['Acme', 'Acme']);
    expect(view(rows, 'all', 'CUPERTINO').rows.map((r) => r.c.client)).toEqual(['Beta']);
    expect(view(rows, 'all', 'ck_75b2').rows.map((r) => r.c.client)).toEqual(['Beta']);
    expect(view(rows, 'all', 'school').rows.map((r) => r.c.client)).toEqual(['Gamma']);
    expect(view(rows, 'all', 'apps and books').rows).toHaveLength(2);
    expect(view(rows, 'all', 'it@zeta').rows.map((r) => r.c.client)).toEqual(['Zeta']);
  });

  test('every word must match, in any order', () => {
    expect(view(rows, 'all', 'harbour acme').rows.map((r) => r.c.label)).toEqual(['Harbour']);
    expect(view(rows, 'all', 'acme zeta').rows).toHaveLength(0);
    expect(terms('  Acme   Harbour ')).toEqual(['acme', 'harbour']);
  });

  test('counts follow the search', () => {
    const v = view(rows, 'error', 'acme');
    expect(v.rows).toHaveLength(0);
    expect(v.counts).toEqual({ all: 2, renewal_required: 2, expired: 0, error: 0 });
  });

  test('ten thousand rows: indexed once, then searched', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      summary({ client: `Org-${i}`, days: (i % 400) - 50, state: i % 400 < 50 ? 'expired' : i % 400 < 80 ? 'renewal_required' : 'active' }),
    );
    // Speed is measured by the browser flows (printed, never asserted); this checks the result.
    const big = indexCredentials(many);
    const v = view(big, 'all', 'org-99');
    expect(v.rows.length).toBe(111);
    expect(v.rows.every((r) => r.c.client.toLowerCase().includes('org-99'))).toBe(true);
  });
});

test('worstState of a client', () => {
  expect(worstState(['active', 'renewal_required', 'expired'])).toBe('expired');
  expect(worstState(['lapsed', 'error'])).toBe('error');
  expect(worstState([])).toBeNull();
});
