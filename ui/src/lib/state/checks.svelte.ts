// The latest check with Apple of every credential, and the runs in flight: the cards, the
// client page and the dashboard read it. A run refreshes the data (a problem puts a credential
// in Error), and App.svelte reloads the answers after every refresh.

import * as api from '../api';
import type { CheckResult } from '../api';
import { toApiError } from '../api';
import { byCredential, runSummary, runTone } from '../checks';
import { data } from './data.svelte';
import { toasts } from './toasts.svelte';

class Checks {
  latest = $state.raw<Map<string, CheckResult>>(new Map());
  /** What is being checked: 'all', a client's name, or a credential's uid. */
  running = $state.raw<Set<string>>(new Set());

  async load(): Promise<void> {
    try {
      this.latest = byCredential(await api.lastChecks());
    } catch {
      // The cards simply show no result; the dashboard's banner reports a broken shell.
    }
  }

  busy(what: string): boolean {
    return this.running.has(what) || this.running.has('all');
  }

  /** Runs a check; toasts its summary (or its error) and refreshes everything it changed. */
  async run(what: string, call: () => Promise<CheckResult[] | CheckResult>): Promise<void> {
    if (this.running.has(what)) return;
    this.running = new Set([...this.running, what]);
    try {
      const answer = await call();
      const results = Array.isArray(answer) ? answer : [answer];
      toasts.show(runSummary(results), runTone(results), 6000);
      // The app reloads the last answers whenever the data changes.
      await data.refresh();
    } catch (e) {
      toasts.show(`Could not check: ${toApiError(e).message}`, 'warning', 8000);
    } finally {
      const next = new Set(this.running);
      next.delete(what);
      this.running = next;
    }
  }
}

export const checks = new Checks();
