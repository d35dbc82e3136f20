// What the UI still decides about states itself: the dashboard's tabs and a client's overall
// state. Listing, sorting, counting and searching happen in the shell's index
// (crates/core/src/dashboard.rs), which serves the dashboard a window at a time.

import type { StateId, Tab } from './api';
import { VOCABULARY } from './vocabulary';

export const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'renewal_required', label: 'Renewal Required' },
  { id: 'expired', label: 'Expired' },
  { id: 'error', label: 'Error' },
];

/** How urgent a state is, from the core's table (`State::urgency`): higher first. */
export function urgency(state: StateId): number {
  return VOCABULARY.states[state]?.urgency ?? 0;
}

/** The most urgent state among credentials (a client's overall state); null when none. */
export function worstState(states: Iterable<StateId>): StateId | null {
  let worst: StateId | null = null;
  for (const s of states) {
    if (worst === null || urgency(s) > urgency(worst)) worst = s;
  }
  return worst;
}
