import { expect, test } from 'vitest';
import { TABS, urgency, worstState } from '../src/lib/credentials';

// Sorting, tabs, counts and search are the shell's (crates/core/src/dashboard/tests.rs).

test('worstState of a client', () => {
  expect(worstState(['active', 'renewal_required', 'expired'])).toBe('expired');
  expect(worstState(['lapsed', 'error'])).toBe('error');
  expect(worstState([])).toBeNull();
});

test('urgency follows the core: error, lapsed, expired, renewal required, active', () => {
  const order = (['active', 'renewal_required', 'expired', 'lapsed', 'error'] as const).map(urgency);
  expect(order).toEqual([0, 1, 2, 3, 4]);
});

test('the tabs are the shell\u2019s, All first', () => {
  expect(TABS.map((t) => t.id)).toEqual(['all', 'renewal_required', 'expired', 'error']);
});
