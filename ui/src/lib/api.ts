// The one module that talks to the Rust shell. Every Tauri command has a typed wrapper here, and
// every type the UI receives is declared here, mirroring crates/core (summary.rs, status.rs,
// vault.rs, vault/*.rs, renewal.rs, error.rs). When the generated `bindings.ts` arrives, only this
// file changes: the rest of the UI imports from `$lib/api`.
//
// Files cross IPC as paths, never as bytes: secrets stay on the Rust side.

import { invoke } from '@tauri-apps/api/core';

/** Which of the three credentials (token.rs `Kind`). */
export type Kind = 'push_certificate' | 'server_token' | 'content_token';
export const KINDS: readonly Kind[] = ['push_certificate', 'server_token', 'content_token'];

/** The five states a user sees (status.rs `State`). */
export type StateId = 'active' | 'renewal_required' | 'expired' | 'lapsed' | 'error';

/** Apple Business Manager or Apple School Manager (summary.rs `Portal`). */
export type Portal = 'business' | 'school';

/** A date as the shell sends it: RFC 3339, UTC. */
export type Timestamp = string;

/** status.rs `Status`. */
export interface Status {
  state: StateId;
  /** Whole days until expiry, negative once expired, rounded down; null when unknown. */
  days_left: number | null;
  reason: string | null;
}

/** summary.rs `CredentialSummary`: one row of the dashboard. */
export interface CredentialSummary {
  uid: string;
  client: string;
  portal: Portal;
  kind: Kind;
  label: string;
  /** Push topic, consumer key (or recipient certificate), or organisation. */
  identity: string;
  apple_account: string | null;
  expires_at: Timestamp | null;
  revision: number;
  status: Status;
}

/** vault.rs `Client`. */
export interface Client {
  uid: string;
  name: string;
  portal: Portal;
  notes: string;
  created_at: Timestamp;
  /** How many credentials it has. */
  credentials: number;
}

/** vault/listing.rs `Version`: one accepted file in a credential's history. */
export interface Version {
  revision: number;
  file_name: string | null;
  file_sha256: string;
  identity: string;
  expires_at: Timestamp | null;
  apple_account: string | null;
  imported_at: Timestamp;
}

/** vault/events.rs `Event`: one entry of the audit log (renamed: `Event` is the DOM's). */
export interface AuditEvent {
  at: Timestamp;
  kind: string;
  client: string | null;
  credential_uid: string | null;
  label: string | null;
  message: string;
}

/** The event kinds the core writes, for the log's filter. */
export const EVENT_KINDS = [
  'imported',
  'renewed',
  'refused',
  'warning_accepted',
  'state_changed',
  'credential_updated',
  'credential_removed',
  'client_added',
  'client_updated',
  'client_removed',
  'settings_changed',
  'secret_tampered',
] as const;

/** One credential of a client with its history, as `client_credentials` returns it. */
export interface ClientCredential {
  summary: CredentialSummary;
  versions: Version[];
  events: AuditEvent[];
}

/** vault/lookup.rs `FileMatch`: what a file is and whose it probably is. */
export interface FileMatch {
  kind: Kind;
  description: string;
  clients: string[];
  label: string | null;
}

/** error.rs `Recipient`: the certificate an ADE token is encrypted for. */
export interface Recipient {
  issuer: string;
  serial: string;
}

/** vault/import.rs `Facts`: one side of a renewal. */
export interface Facts {
  identity: string;
  expires_at: Timestamp | null;
  organisation: string | null;
  recipient: Recipient | null;
  apple_account: string | null;
}

/** renewal.rs `WarningKind`. */
export type WarningKind = 'new_topic' | 'identity_changed' | 'second_certificate' | 'new_location';

/** renewal.rs `Warning`. */
export interface Warning {
  kind: WarningKind;
  message: string;
}

/** renewal.rs `Decision`, flattened into the plan. */
export type Action = 'new' | 'renew' | 'already_on_record';

/** vault/import.rs `ImportPlan`: what an import will do, computed without writing anything. */
export interface ImportPlan {
  client: string;
  kind: Kind;
  action: Action;
  /** The credential renewed (renew, already_on_record). */
  uid?: string;
  label: string;
  before: Facts | null;
  after: Facts;
  warnings: Warning[];
  /** Whether the file was decrypted (server tokens). */
  decrypted: boolean;
}

/** vault/import.rs `ImportOutcome`. */
export interface ImportOutcome extends ImportPlan {
  uid: string;
  revision: number;
}

/** What to import: a file (by path) for a client, and the optional extras. */
export interface ImportArgs {
  client: string;
  path: string;
  label?: string;
  apple_account?: string;
  /** RFC 3339, for an ADE token that cannot be decrypted here. */
  expires_at?: string;
  key_path?: string;
}

/** vault/import.rs `Confirmation`. */
export interface Confirmation {
  confirmed: boolean;
  /** Only after the user typed the confirmation word: an APNs certificate with a new topic. */
  accept_new_identity: boolean;
}

/** status.rs `Thresholds`. */
export interface Thresholds {
  renewal_window_days: number;
  grace_days: number;
}

export interface EventQuery {
  client?: string;
  kinds: string[];
  limit: number;
}

/** Error kinds the shell sends (error.rs `Error::kind`), plus `internal` for anything else. */
export type ErrorKind =
  | 'too_large'
  | 'unrecognized_file'
  | 'corrupt_file'
  | 'not_push_certificate'
  | 'wrong_kind'
  | 'wrong_key'
  | 'key_required'
  | 'invalid_key'
  | 'unsupported_algorithm'
  | 'identity_changed'
  | 'confirmation_required'
  | 'duplicate'
  | 'older_file'
  | 'key_mismatch'
  | 'ambiguous'
  | 'not_found'
  | 'already_exists'
  | 'invalid_input'
  | 'tampered'
  | 'database'
  | 'keychain_unavailable'
  | 'io'
  | 'internal';

/** A command's failure: `{kind, message}` from the shell. The UI switches on `kind`, never on text. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
  }
}

/** Turns whatever a rejected `invoke` carries into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const { kind, message } = e as { kind: unknown; message: unknown };
    return new ApiError(String(kind) as ErrorKind, String(message));
  }
  if (e instanceof Error) return new ApiError('internal', e.message);
  return new ApiError('internal', typeof e === 'string' ? e : 'something went wrong in TokenKeeper');
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (typeof window !== 'undefined' && !('__TAURI_INTERNALS__' in window)) {
    throw new ApiError(
      'internal',
      'this page runs outside the TokenKeeper app, so it has no data: open it with `npm run app`, or add ?demo to the address of `npm run dev` for sample data',
    );
  }
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toApiError(e);
  }
}

/** Every credential of every client, most urgent first. */
export const listCredentials = () => call<CredentialSummary[]>('list_credentials');

export const listClients = () => call<Client[]>('list_clients');

export const addClient = (name: string, portal: Portal, notes: string) =>
  call<Client>('add_client', { name, portal, notes });

export const updateClient = (name: string, newName: string, portal: Portal, notes: string) =>
  call<Client>('update_client', { name, newName, portal, notes });

export const removeClient = (name: string) => call<void>('remove_client', { name });

/** A client's credentials with their history and events. */
export const clientCredentials = (name: string) =>
  call<ClientCredential[]>('client_credentials', { name });

/** Reads a file (by path, without key) and says what it is and whose it probably is. */
export const identifyFile = (path: string) => call<FileMatch>('identify_file', { path });

/** What importing would do; writes nothing. */
export const planImport = (args: ImportArgs) => call<ImportPlan>('plan_import', { args });

/** Imports for real, with what the user confirmed. */
export const importFile = (args: ImportArgs, confirmation: Confirmation) =>
  call<ImportOutcome>('import_file', { args, confirmation });

export const removeCredential = (uid: string) => call<void>('remove_credential', { uid });

export const updateCredential = (uid: string, label: string, appleAccount: string | null) =>
  call<void>('update_credential', { uid, label, appleAccount });

export const listEvents = (query: EventQuery) => call<AuditEvent[]>('list_events', { query });

export const getSettings = () => call<Thresholds>('get_settings');

export const setSettings = (thresholds: Thresholds) =>
  call<Thresholds>('set_settings', { thresholds });

/** reminders.rs `Milestones`: when reminders fire. */
export interface Milestones {
  /** Days before expiry (defaults 30, 14, 7, 3, 1). */
  days_before: number[];
  /** During grace, every this many days (0: off). */
  grace_every_days: number;
  /** Daily in the last this many days of grace. */
  grace_daily_last_days: number;
}

/** desktop.rs `ReminderSettings`. */
export interface ReminderSettings {
  milestones: Milestones;
  /** Reminders are paused until then. */
  snoozed_until: Timestamp | null;
}

export const getReminders = () => call<ReminderSettings>('get_reminders');

export const setMilestones = (milestones: Milestones) =>
  call<ReminderSettings>('set_milestones', { milestones });

/** Pauses reminders for `hours` (24: a day); 0 resumes them. */
export const snoozeReminders = (hours: number) => call<ReminderSettings>('snooze_reminders', { hours });

/** Whether TokenKeeper starts in the tray at login. */
export const getAutostart = () => call<boolean>('get_autostart');

export const setAutostart = (enabled: boolean) => call<boolean>('set_autostart', { enabled });

/** Files opened with the app that the window has not taken yet. */
export const takeOpenedFiles = () => call<string[]>('take_opened_files');
