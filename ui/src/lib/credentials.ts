// What the UI still decides about states itself: the dashboard's tabs and a client's overall
// state. Listing, sorting, counting and searching happen in the shell's index
// (crates/core/src/dashboard.rs), which serves the dashboard a window at a time.

import type { StateId, Tab } from './api';

export const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'renewal_required', label: 'Renewal Required' },
  { id: 'expired', label: 'Expired' },
  { id: 'error', label: 'Error' },
];

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

/** The most urgent state among credentials (a client's overall state); null when none. */
export function worstState(states: Iterable<StateId>): StateId | null {
  let worst: StateId | null = null;
  for (const s of states) {
    if (worst === null || urgency(s) > urgency(worst)) worst = s;
  }
  return worst;
}
