// The one module that talks to the Rust shell: a thin layer over the generated `bindings.ts`.
// Every type here is the generated one (renamed where the UI's name reads better), and every
// wrapper calls the generated `commands.*`, so a change of a Rust signature fails the UI's type
// check. What this layer adds: rejections become `ApiError` ({kind, message}), and a page opened
// outside the app says so. The rest of the UI imports from `$lib/api`.
//
// Files cross IPC as paths, never as bytes: secrets stay on the Rust side. A password the user
// types goes to the shell and never comes back.

import { commands } from './bindings';
import type * as B from './bindings';

export type {
  CertFormat,
  Channel,
  ChannelForm,
  ChannelHealth,
  ChannelKind,
  ChannelSecrets,
  ChannelSettings,
  CheckDetails,
  CheckResult,
  CheckSchedule,
  CheckSettings,
  Client,
  ClientAlerting,
  ClientTally,
  Counts,
  Confirmation,
  CredentialSummary,
  CsrArgs,
  CsrSaved,
  DashboardPage,
  DashboardQuery,
  EventQuery,
  ExportArgs,
  Facts,
  FileMatch,
  ImportArgs,
  ImportOutcome,
  ImportPlan,
  KeyPurpose,
  KeyRecord,
  Kind,
  MdmConnection,
  MdmForm,
  MdmSyncReport,
  MdmView,
  Milestones,
  Outcome,
  Portal,
  PushRequestSaved,
  Recipient,
  ReminderSettings,
  TeamView,
  Connection,
  Member as TeamMember,
  Service,
  Tab,
  Status,
  Thresholds,
  Version,
  Warning,
  WarningKind,
} from './bindings';
import { VOCABULARY } from './vocabulary';

/** The five states a user sees (status.rs `State`). */
export type StateId = B.State;
/** One entry of the audit log (renamed: `Event` is the DOM's). */
export type AuditEvent = B.Event;
/** One credential of a client with its history and whether its key is held. */
export type ClientCredential = B.CredentialDetail;
/** What an import does (renewal.rs `Decision`). */
export type Action = B.ImportPlan['action'];
/** A date as the shell sends it: RFC 3339, UTC. */
export type Timestamp = string;

export const KINDS: readonly B.Kind[] = ['push_certificate', 'server_token', 'content_token'];

/** The event kinds the core writes, for the log's filter (events.rs `EventKind::ALL`). */
export const EVENT_KINDS = VOCABULARY.event_kinds;

/** Error kinds the shell sends (error.rs `ErrorKind`): generated, never listed by hand. */
export type ErrorKind = B.ErrorKind;

/** A command's failure: `{kind, message}` from the shell. The UI switches on `kind`, never on text. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
  }
}

/** Turns whatever a rejected call carries into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const { kind, message } = e as B.ErrorBody;
    return new ApiError(String(kind) as ErrorKind, String(message));
  }
  if (e instanceof Error) return new ApiError('internal', e.message);
  return new ApiError('internal', typeof e === 'string' ? e : 'something went wrong in TokenKeeper');
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  if (typeof window !== 'undefined' && !('__TAURI_INTERNALS__' in window)) {
    throw new ApiError(
      'internal',
      'this page runs outside the TokenKeeper app, so it has no data: open it with `npm run app`, or add ?demo to the address of `npm run dev` for sample data',
    );
  }
  try {
    return await run();
  } catch (e) {
    throw toApiError(e);
  }
}

/** Every credential of every client, most urgent first. */
export const listCredentials = () => call(() => commands.listCredentials());
/**
 * The dashboard's rows for a tab and a search, from an offset, with the counts. `fresh` lists
 * the credentials again (their states move with the clock); otherwise the shell's index answers.
 */
export const dashboard = (query: B.DashboardQuery, fresh: boolean) => call(() => commands.dashboard(query, fresh));
/** How each client's credentials stand (clients without credentials are left out). */
export const clientTallies = () => call(() => commands.clientTallies());
/** One credential by its uid; `not_found` once removed. */
export const findCredential = (uid: string) => call(() => commands.findCredential(uid));
export const listClients = () => call(() => commands.listClients());
/** One client by name (case-insensitive), or null when there is none. */
export const getClient = (name: string) => call(() => commands.getClient(name));
/** Adds a client, with its warning threshold and contact when given. */
export const addClient = (name: string, portal: B.Portal, notes: string, alerting: B.ClientAlerting | null = null) =>
  call(() => commands.addClient(name, portal, notes, alerting));
/** Changes a client; its alerting too when given (`null` leaves it as it is). */
export const updateClient = (name: string, newName: string, portal: B.Portal, notes: string, alerting: B.ClientAlerting | null = null) =>
  call(() => commands.updateClient(name, newName, portal, notes, alerting));
/** A client's warning threshold (`null`: the vault's renewal window) and contact address. */
export const clientAlerting = (name: string) => call(() => commands.clientAlerting(name));
export const removeClient = (name: string) => call(() => commands.removeClient(name));
/** A client's credentials with their history and events. */
export const clientCredentials = (name: string) => call(() => commands.clientCredentials(name));
export const expectedRenewal = (client: string, kind: B.Kind, label: string | null) =>
  call(() => commands.expectedRenewal(client, kind, label));
/** Reads a file (by path, without key) and says what it is and whose it probably is. */
export const identifyFile = (path: string) => call(() => commands.identifyFile(path));
/** What importing would do; writes nothing. */
export const planImport = (args: B.ImportArgs) => call(() => commands.planImport(args));
/** Imports for real, with what the user confirmed. */
export const importFile = (args: B.ImportArgs, confirmation: B.Confirmation) =>
  call(() => commands.importFile(args, confirmation));
export const removeCredential = (uid: string) => call(() => commands.removeCredential(uid));
export const updateCredential = (uid: string, label: string, appleAccount: string | null) =>
  call(() => commands.updateCredential(uid, label, appleAccount));
export const listEvents = (query: B.EventQuery) => call(() => commands.listEvents(query));
export const getSettings = () => call(() => commands.getSettings());
export const getTeam = () => call(() => commands.getTeam());
/** Whether the team's server answers, and what the window shows while it does not. */
export const teamConnection = () => call(() => commands.teamConnection());
export const setSettings = (thresholds: B.Thresholds) => call(() => commands.setSettings(thresholds));

// Keys: every file by the path the user picked; key material stays in the shell.

/** Pending keys and vendor identities (only the client's, without vendors, when given). */
export const listKeys = (client: string | null) => call(() => commands.listKeys(client));
export const removeKey = (uid: string) => call(() => commands.removeKey(uid));
/** Makes a push CSR (its key stays in the keychain) and saves it at `args.out`. */
export const createPushCsr = (args: B.CsrArgs) => call(() => commands.createPushCsr(args));
/** Signs the client's newest CSR with the vendor identity on record; saves the request at `out`. */
export const pushRequest = (client: string, out: string) => call(() => commands.pushRequest(client, null, out));
/** Keeps an MDM vendor identity (.p12 and its password) to sign CSRs. */
export const addVendor = (path: string, label: string | null, password: string, chain: string[]) =>
  call(() => commands.addVendor(path, label, password, chain));
/** Writes the push certificate with its key for the MDM (a PKCS#12 needs a password). */
export const exportCertificate = (args: B.ExportArgs, password: string | null) =>
  call(() => commands.exportCertificate(args, password));
/** Makes an ADE key pair and saves its certificate (to upload in ABM) at `out`. */
export const createAdeKey = (client: string, out: string) => call(() => commands.createAdeKey(client, null, out));
export const saveAdeCertificate = (uid: string, out: string) => call(() => commands.saveAdeCertificate(uid, out));
/** Keeps an existing MDM's ADE key (a password for an encrypted PEM or a .p12). */
export const importAdeKey = (client: string, keyPath: string, password: string | null, certPath: string | null) =>
  call(() => commands.importAdeKey(client, keyPath, password, certPath));

// Checks with Apple.

export const checkAll = () => call(() => commands.checkAll());
export const checkClient = (name: string) => call(() => commands.checkClient(name));
export const checkCredential = (uid: string) => call(() => commands.checkCredential(uid));
/** The latest check of every credential checked at least once. */
export const lastChecks = () => call(() => commands.lastChecks());
export const getCheckSettings = () => call(() => commands.getCheckSettings());
export const setCheckSettings = (settings: B.CheckSettings) => call(() => commands.setCheckSettings(settings));

// Reminders, starting at login, files opened with the app.

export const getReminders = () => call(() => commands.getReminders());
export const setMilestones = (milestones: B.Milestones) => call(() => commands.setMilestones(milestones));
/** Pauses reminders for `hours` (24: a day); 0 resumes them. */
export const snoozeReminders = (hours: number) => call(() => commands.snoozeReminders(hours));
/** Whether TokenKeeper starts in the tray at login. */
export const getAutostart = () => call(() => commands.getAutostart());
export const setAutostart = (enabled: boolean) => call(() => commands.setAutostart(enabled));
/** Files opened with the app that the window has not taken yet. */
export const takeOpenedFiles = () => call(() => commands.takeOpenedFiles());

// MDM connections (read-only). The secret goes to the app once, to the keychain, and never back.

export const mdmConnections = () => call(() => commands.mdmConnections());
export const addMdmConnection = (form: B.MdmForm, secret: string) => call(() => commands.addMdmConnection(form, secret));
export const removeMdmConnection = (name: string) => call(() => commands.removeMdmConnection(name));
export const testMdmConnection = (form: B.MdmForm, secret: string) => call(() => commands.testMdmConnection(form, secret));
export const syncMdm = (name: string | null) => call(() => commands.syncMdm(name));

// The team's channels (e-mail, Teams, Slack, webhook). Secrets go to the app once, to the
// keychain, and never back: a channel lists only its host and public settings.

export const listChannels = () => call(() => commands.listChannels());
export const addChannel = (form: B.ChannelForm, secrets: B.ChannelSecrets) => call(() => commands.addChannel(form, secrets));
/** Changes the channel `name`; a blank secret keeps the stored one. */
export const updateChannel = (name: string, form: B.ChannelForm, secrets: B.ChannelSecrets) =>
  call(() => commands.updateChannel(name, form, secrets));
export const removeChannel = (name: string) => call(() => commands.removeChannel(name));
/** Sends a test message now; resolves with the channel's new health, rejects with why it failed. */
export const testChannel = (name: string) => call(() => commands.testChannel(name));
