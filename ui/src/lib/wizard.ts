// The renewal wizard as a pure state machine: guide -> checking -> review -> saving -> saved,
// with refused when the core says no. The component performs the calls (plan_import when a state
// enters `checking`, import_file when it enters `saving`) and feeds their results back as events.
//
// Nothing is saved without a plan on screen; an APNs certificate with a new topic is saved only
// after the user typed the confirmation word.

import type { ApiError, Confirmation, ImportArgs, ImportOutcome, ImportPlan, Kind, Portal } from './api';
import { dateInputToRfc3339 } from './format';

/** What the user types to accept a push certificate with a new topic. */
export const CONFIRM_WORD = 'RE-ENROLL';

export type Step = 'guide' | 'checking' | 'review' | 'refused' | 'saving' | 'saved';

/** The credential being renewed, when known before the file is read. */
export interface Target {
  uid: string;
  label: string;
  identity: string;
  apple_account: string | null;
  expires_at: string | null;
}

export interface WizardState {
  step: Step;
  client: string;
  kind: Kind;
  target: Target | null;
  /** The file, by path. */
  path: string | null;
  /** A private key file (push certificate key, or the ADE server's key), by path. */
  keyPath: string | null;
  appleAccount: string;
  /** The label asked for ('' lets the core choose or match by identity). */
  label: string;
  /** Expiry typed by the user, `YYYY-MM-DD` (ADE token read without its key). */
  expiresOn: string;
  /** Said when the wizard opened ("This is an Apps and Books token, ..."). */
  notice: string | null;
  plan: ImportPlan | null;
  error: ApiError | null;
  /** What the user typed in the confirmation field. */
  typed: string;
  /** The user ticked "I have read the warnings". */
  acknowledged: boolean;
  outcome: ImportOutcome | null;
}

export interface WizardInit {
  client: string;
  /** The client's portal, whose steps the wizard shows (Apple Business Manager when unknown). */
  portal?: Portal;
  kind: Kind;
  target?: Target | null;
  path?: string | null;
  label?: string | null;
  notice?: string | null;
}

export function initWizard(init: WizardInit): WizardState {
  const target = init.target ?? null;
  const path = init.path ?? null;
  return {
    step: path ? 'checking' : 'guide',
    client: init.client,
    kind: init.kind,
    target,
    path,
    keyPath: null,
    appleAccount: target?.apple_account ?? '',
    label: init.label ?? target?.label ?? '',
    expiresOn: '',
    notice: init.notice ?? null,
    plan: null,
    error: null,
    typed: '',
    acknowledged: false,
    outcome: null,
  };
}

export type WizardEvent =
  | { type: 'file'; path: string }
  | { type: 'key'; path: string | null }
  | { type: 'edit'; field: 'appleAccount' | 'label' | 'expiresOn'; value: string }
  | { type: 'recheck' }
  | { type: 'planned'; plan: ImportPlan }
  | { type: 'failed'; error: ApiError }
  | { type: 'unreadable'; path: string; error: ApiError }
  | { type: 'type'; text: string }
  | { type: 'acknowledge'; value: boolean }
  | { type: 'save' }
  | { type: 'saved'; outcome: ImportOutcome }
  | { type: 'back' };

/** A fresh check of the same file: the previous plan, error and confirmations are dropped. */
function check(s: WizardState): WizardState {
  if (!s.path) return { ...s, step: 'guide' };
  return { ...s, step: 'checking', plan: null, error: null, typed: '', acknowledged: false };
}

export function reduce(s: WizardState, e: WizardEvent): WizardState {
  // Nothing moves while a save is in flight except its own result.
  if (s.step === 'saving' && e.type !== 'saved' && e.type !== 'failed') return s;
  if (s.step === 'saved') return s;
  switch (e.type) {
    case 'file':
      return check({ ...s, path: e.path });
    case 'key': {
      const next = { ...s, keyPath: e.path };
      return s.path && s.step !== 'guide' ? check(next) : next;
    }
    case 'edit':
      return { ...s, [e.field]: e.value };
    case 'recheck':
      return check(s);
    case 'planned':
      if (s.step !== 'checking') return s;
      return { ...s, step: 'review', plan: e.plan, error: null };
    case 'failed':
      if (s.step !== 'checking' && s.step !== 'saving') return s;
      // A refusal at save time keeps the plan, so its confirmation can be given and saved again.
      return { ...s, step: 'refused', error: e.error, plan: s.step === 'saving' ? s.plan : null };
    case 'unreadable':
      // A file given to the wizard that is no credential at all (identify_file refused it).
      return { ...s, step: 'refused', path: e.path, plan: null, error: e.error, typed: '', acknowledged: false };
    case 'type':
      return { ...s, typed: e.text };
    case 'acknowledge':
      return { ...s, acknowledged: e.value };
    case 'save':
      // The error stays: a refusal lifted by a confirmation still shapes what is confirmed.
      return canSave(s) ? { ...s, step: 'saving' } : s;
    case 'saved':
      if (s.step !== 'saving') return s;
      return { ...s, step: 'saved', outcome: e.outcome };
    case 'back':
      return { ...s, step: 'guide', path: null, plan: null, error: null, typed: '', acknowledged: false };
  }
}

/** The plan asks to accept a new push topic, or the core refused for that reason. */
export function needsTypedConfirmation(s: WizardState): boolean {
  return (
    (s.plan?.warnings.some((w) => w.kind === 'new_topic') ?? false) || s.error?.kind === 'identity_changed'
  );
}

/** Other warnings (another MDM server, a second certificate, a new location) need a tick. */
export function needsAcknowledgement(s: WizardState): boolean {
  return (
    (s.plan?.warnings.some((w) => w.kind !== 'new_topic') ?? false) || s.error?.kind === 'confirmation_required'
  );
}

export function typedOk(s: WizardState): boolean {
  return s.typed.trim().toUpperCase() === CONFIRM_WORD;
}

/** Refusals that a confirmation can lift (the others need another file or key). */
export function confirmableRefusal(s: WizardState): boolean {
  return (
    s.step === 'refused' &&
    s.plan !== null &&
    (s.error?.kind === 'identity_changed' || s.error?.kind === 'confirmation_required')
  );
}

export function canSave(s: WizardState): boolean {
  if (!s.plan || s.plan.action === 'already_on_record') return false;
  if (s.step !== 'review' && !confirmableRefusal(s)) return false;
  if (needsTypedConfirmation(s) && !typedOk(s)) return false;
  if (needsAcknowledgement(s) && !s.acknowledged) return false;
  return true;
}

/** The arguments of plan_import / import_file for the current state. */
export function importArgs(s: WizardState): ImportArgs {
  if (!s.path) throw new Error('no file chosen');
  const args: ImportArgs = { client: s.client, path: s.path };
  const label = s.label.trim();
  if (label) args.label = label;
  const account = s.appleAccount.trim();
  if (account) args.apple_account = account;
  if (s.keyPath) args.key_path = s.keyPath;
  const expires = s.expiresOn ? dateInputToRfc3339(s.expiresOn) : null;
  if (expires) args.expires_at = expires;
  return args;
}

/** What the user confirmed: the plan was read; a new topic only when the word was typed. */
export function confirmation(s: WizardState): Confirmation {
  return {
    confirmed: true,
    accept_new_identity: needsTypedConfirmation(s) && typedOk(s),
  };
}

/** The ADE token could not be decrypted and no expiry is known: ask for the date ABM shows. */
export function needsExpiry(s: WizardState): boolean {
  return s.kind === 'server_token' && s.plan !== null && !s.plan.decrypted && !s.plan.after.expires_at;
}

/** After saving a push certificate whose key TokenKeeper holds: offer the export for the MDM. */
export function offersExport(o: ImportOutcome): boolean {
  return o.kind === 'push_certificate' && !o.tracked_only;
}
