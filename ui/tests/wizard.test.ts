import { describe, expect, test } from 'vitest';
import { ApiError } from '../src/lib/api';
import {
  CONFIRM_WORD,
  canSave,
  confirmation,
  importArgs,
  offersExport,
  initWizard,
  needsExpiry,
  reduce,
  type WizardEvent,
  type WizardState,
} from '../src/lib/wizard';
import { plan } from './fixtures';

const run = (s: WizardState, ...events: WizardEvent[]) => events.reduce(reduce, s);
const target = { uid: 'uid-1', label: 'APNs certificate', identity: 'com.apple.mgmt.External.a', apple_account: 'it@acme.example', expires_at: '2026-03-04T00:00:00Z' };

describe('wizard steps', () => {
  test('opened from a Renew button: the guide, with the Apple Account on record prefilled', () => {
    const s = initWizard({ client: 'Acme', kind: 'push_certificate', target });
    expect(s.step).toBe('guide');
    expect(s.appleAccount).toBe('it@acme.example');
    expect(s.label).toBe('APNs certificate');
  });

  test('opened from a drop: straight to the check', () => {
    expect(initWizard({ client: 'Acme', kind: 'content_token', path: '/a.vpptoken' }).step).toBe('checking');
  });

  test('guide -> checking -> review -> saving -> saved', () => {
    let s = initWizard({ client: 'Acme', kind: 'push_certificate', target });
    s = reduce(s, { type: 'file', path: '/new.pem' });
    expect(s.step).toBe('checking');
    s = reduce(s, { type: 'planned', plan: plan() });
    expect(s.step).toBe('review');
    expect(canSave(s)).toBe(true);
    s = reduce(s, { type: 'save' });
    expect(s.step).toBe('saving');
    expect(confirmation(s)).toEqual({ confirmed: true, accept_new_identity: false });
    s = reduce(s, { type: 'saved', outcome: { ...plan(), uid: 'uid-1', revision: 2 } });
    expect(s.step).toBe('saved');
    // Once saved, nothing moves.
    expect(reduce(s, { type: 'back' })).toBe(s);
  });

  test('a refusal while checking shows the error and keeps the file', () => {
    const s = run(initWizard({ client: 'Acme', kind: 'server_token', path: '/t.p7m' }), { type: 'failed', error: new ApiError('wrong_key', 'other key') });
    expect(s.step).toBe('refused');
    expect(s.path).toBe('/t.p7m');
    expect(s.plan).toBeNull();
    expect(canSave(s)).toBe(false);
  });

  test('choosing a key after a refusal checks again with it', () => {
    let s = run(initWizard({ client: 'Acme', kind: 'server_token', path: '/t.p7m' }), { type: 'failed', error: new ApiError('key_required', 'needs key') });
    s = reduce(s, { type: 'key', path: '/server.key' });
    expect(s.step).toBe('checking');
    expect(importArgs(s)).toEqual({ client: 'Acme', path: '/t.p7m', key_path: '/server.key' });
  });

  test('a key chosen in the guide waits for the file', () => {
    const s = run(initWizard({ client: 'Acme', kind: 'server_token' }), { type: 'key', path: '/server.key' });
    expect(s.step).toBe('guide');
    expect(s.keyPath).toBe('/server.key');
  });

  test('back returns to the steps and forgets the file', () => {
    const s = run(initWizard({ client: 'Acme', kind: 'push_certificate', path: '/x.pem' }), { type: 'planned', plan: plan() }, { type: 'back' });
    expect(s).toMatchObject({ step: 'guide', path: null, plan: null });
  });

  test('nothing to save for a file already on record', () => {
    const s = run(initWizard({ client: 'Acme', kind: 'push_certificate', path: '/x.pem' }), { type: 'planned', plan: plan({ action: 'already_on_record' }) });
    expect(canSave(s)).toBe(false);
    expect(reduce(s, { type: 'save' }).step).toBe('review');
  });

  test('results of a stale step are ignored', () => {
    const s = initWizard({ client: 'Acme', kind: 'push_certificate' });
    expect(reduce(s, { type: 'planned', plan: plan() })).toBe(s);
    expect(reduce(s, { type: 'failed', error: new ApiError('io', 'x') })).toBe(s);
  });
});

describe('confirmations', () => {
  const newTopic = plan({ warnings: [{ kind: 'new_topic', message: 'its topic differs' }] });

  test('a new topic needs the typed word before accept_new_identity is sent', () => {
    let s = run(initWizard({ client: 'Acme', kind: 'push_certificate', path: '/x.pem' }), { type: 'planned', plan: newTopic });
    expect(canSave(s)).toBe(false);
    expect(reduce(s, { type: 'save' }).step).toBe('review');
    s = reduce(s, { type: 'type', text: 'reenroll' });
    expect(canSave(s)).toBe(false);
    s = reduce(s, { type: 'type', text: ` ${CONFIRM_WORD.toLowerCase()} ` });
    expect(canSave(s)).toBe(true);
    expect(confirmation(s)).toEqual({ confirmed: true, accept_new_identity: true });
  });

  test('other warnings need the tick, and never send accept_new_identity', () => {
    let s = run(initWizard({ client: 'Acme', kind: 'server_token', path: '/t.p7m' }), {
      type: 'planned',
      plan: plan({ kind: 'server_token', warnings: [{ kind: 'identity_changed', message: 'another MDM server' }] }),
    });
    expect(canSave(s)).toBe(false);
    s = reduce(s, { type: 'acknowledge', value: true });
    expect(canSave(s)).toBe(true);
    expect(confirmation(s)).toEqual({ confirmed: true, accept_new_identity: false });
  });

  test('an identity_changed refusal at save time keeps the plan and asks for the word', () => {
    let s = run(
      initWizard({ client: 'Acme', kind: 'push_certificate', path: '/x.pem' }),
      { type: 'planned', plan: plan() },
      { type: 'save' },
      { type: 'failed', error: new ApiError('identity_changed', 'new topic') },
    );
    expect(s.step).toBe('refused');
    expect(s.plan).not.toBeNull();
    expect(canSave(s)).toBe(false);
    s = reduce(s, { type: 'type', text: CONFIRM_WORD });
    expect(canSave(s)).toBe(true);
    s = reduce(s, { type: 'save' });
    expect(s.step).toBe('saving');
    expect(confirmation(s).accept_new_identity).toBe(true);
  });

  test('a fresh check drops what was typed', () => {
    const s = run(
      initWizard({ client: 'Acme', kind: 'push_certificate', path: '/x.pem' }),
      { type: 'planned', plan: newTopic },
      { type: 'type', text: CONFIRM_WORD },
      { type: 'recheck' },
    );
    expect(s).toMatchObject({ step: 'checking', typed: '', plan: null });
  });

  test('nothing moves while saving', () => {
    const s = run(initWizard({ client: 'Acme', kind: 'push_certificate', path: '/x.pem' }), { type: 'planned', plan: plan() }, { type: 'save' });
    expect(reduce(s, { type: 'file', path: '/other.pem' })).toBe(s);
    expect(reduce(s, { type: 'back' })).toBe(s);
  });
});

describe('arguments', () => {
  test('options are trimmed and empty ones left out', () => {
    const s = run(
      initWizard({ client: 'Acme', kind: 'server_token', path: '/t.p7m' }),
      { type: 'edit', field: 'appleAccount', value: '  admin@acme.example ' },
      { type: 'edit', field: 'label', value: '   ' },
      { type: 'edit', field: 'expiresOn', value: '2027-01-17' },
    );
    expect(importArgs(s)).toEqual({ client: 'Acme', path: '/t.p7m', apple_account: 'admin@acme.example', expires_at: '2027-01-17T23:59:59Z' });
  });

  test('an undecrypted ADE token without expiry asks for the date', () => {
    const s = run(initWizard({ client: 'Acme', kind: 'server_token', path: '/t.p7m' }), {
      type: 'planned',
      plan: plan({ kind: 'server_token', decrypted: false, after: { identity: 'encrypted for X', expires_at: null, organisation: null, recipient: { issuer: 'CN=x', serial: '01' }, apple_account: null } }),
    });
    expect(needsExpiry(s)).toBe(true);
  });

  test('an unreadable file given to the wizard is shown as a refusal', () => {
    const s = reduce(initWizard({ client: 'Acme', kind: 'push_certificate' }), { type: 'unreadable', path: '/cat.png', error: new ApiError('unrecognized_file', 'a PNG image') });
    expect(s).toMatchObject({ step: 'refused', path: '/cat.png' });
  });
});

describe('after saving', () => {
  test('the export for the MDM is offered for a push certificate whose key TokenKeeper holds', () => {
    const outcome = (over: Record<string, unknown>) => ({ ...plan(over), uid: 'uid-1', revision: 2 }) as Parameters<typeof offersExport>[0];
    expect(offersExport(outcome({ tracked_only: false, attaches_key: 'k1' }))).toBe(true);
    expect(offersExport(outcome({ tracked_only: false, attaches_key: null }))).toBe(true);
    expect(offersExport(outcome({ tracked_only: true, attaches_key: null }))).toBe(false);
    expect(offersExport(outcome({ kind: 'server_token', tracked_only: false }))).toBe(false);
  });
});
