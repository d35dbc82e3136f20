// The UI computes some of the core's words itself (the 10,000-row dashboard cannot ask the shell
// for each row): every such rule is checked here against the core's own answers, generated into
// tests/core-samples.ts by `cargo run -p tokenkeeper-app --bin export-bindings`.

import { describe, expect, it } from 'vitest';
import { CORE_SAMPLES } from './core-samples';
import { timePhrase, STATE_LABEL, KIND_NAME, adviceFor } from '../src/lib/format';
import { urgency, worstState } from '../src/lib/credentials';
import { nameKey, sameName } from '../src/lib/names';
import { VOCABULARY } from '../src/lib/vocabulary';

describe("the UI's rules answer as the core's", () => {
  it('time phrases, for every day from 45 before to 45 after expiry and unknown', () => {
    expect(CORE_SAMPLES.time_phrases.length).toBeGreaterThan(200);
    for (const c of CORE_SAMPLES.time_phrases) {
      expect(timePhrase(c.days_left, c.grace_days), `${c.days_left} days, ${c.grace_days} of grace`).toBe(c.phrase);
    }
  });

  it('same client names', () => {
    for (const c of CORE_SAMPLES.same_names) {
      expect(sameName(c.a, c.b), `${JSON.stringify(c.a)} vs ${JSON.stringify(c.b)}`).toBe(c.same);
      expect(nameKey(c.a) === nameKey(c.b), `keys of ${JSON.stringify(c.a)} vs ${JSON.stringify(c.b)}`).toBe(c.same);
    }
  });

  it('labels, urgency and advice come from the core table', () => {
    expect(STATE_LABEL.renewal_required).toBe(VOCABULARY.states.renewal_required.label);
    expect(KIND_NAME.server_token).toBe(VOCABULARY.kinds.server_token.row_name);
    expect(urgency('lapsed')).toBe(VOCABULARY.states.lapsed.urgency);
    expect(worstState(['active', 'error', 'expired'])).toBe('error');
    const advice = adviceFor(
      { kind: 'content_token', status: { state: 'renewal_required', days_left: 10, reason: null }, expires_at: '2027-03-04T10:00:00Z' },
      { locale: 'en-GB', timeZone: 'UTC' },
    );
    expect(advice).toBe('Renew before 4 March 2027 so app licences keep syncing.');
    expect(adviceFor({ kind: 'push_certificate', status: { state: 'active', days_left: 100, reason: null }, expires_at: null })).toBeNull();
  });
});
