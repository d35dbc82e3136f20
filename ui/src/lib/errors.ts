// What each error kind means for the technician: a short title and the action the UI offers.
// The core's message already says what happened and the way out; the title frames it.

import type { ApiError, ErrorKind } from './api';

/** What the UI can offer next to an error. */
export type Remedy = 'choose_file' | 'choose_key' | 'choose_label' | 'type_confirmation' | 'acknowledge' | 'retry' | 'recheck' | 'none';

interface Explained {
  title: string;
  remedy: Remedy;
}

const TABLE: Record<ErrorKind, Explained> = {
  too_large: { title: 'Far too large for an Apple credential', remedy: 'choose_file' },
  unrecognized_file: { title: 'Not an Apple MDM credential', remedy: 'choose_file' },
  corrupt_file: { title: 'The file is damaged', remedy: 'choose_file' },
  not_push_certificate: { title: 'A certificate, but not a push certificate', remedy: 'choose_file' },
  wrong_kind: { title: 'Another kind of credential', remedy: 'choose_file' },
  wrong_key: { title: 'This key does not open the token', remedy: 'choose_key' },
  key_required: { title: 'A private key is needed', remedy: 'choose_key' },
  invalid_key: { title: 'The key file cannot be read', remedy: 'choose_key' },
  unsupported_algorithm: { title: 'An encryption TokenKeeper does not know', remedy: 'none' },
  identity_changed: { title: 'A new topic: every device would re-enroll', remedy: 'type_confirmation' },
  confirmation_required: { title: 'Please confirm first', remedy: 'acknowledge' },
  duplicate: { title: 'Already on record', remedy: 'choose_file' },
  conflict: { title: 'Changed elsewhere meanwhile', remedy: 'recheck' },
  older_file: { title: 'An older download', remedy: 'choose_file' },
  key_mismatch: { title: 'Certificate and key do not match', remedy: 'choose_key' },
  ambiguous: { title: 'Which one does it renew?', remedy: 'choose_label' },
  not_found: { title: 'Not found', remedy: 'none' },
  already_exists: { title: 'That name is taken', remedy: 'none' },
  invalid_input: { title: 'Please check what you typed', remedy: 'none' },
  tampered: { title: 'A stored secret changed outside TokenKeeper', remedy: 'choose_file' },
  wrong_password: { title: 'The password does not open it', remedy: 'none' },
  corrupt_backup: { title: 'The backup is damaged', remedy: 'choose_file' },
  not_empty: { title: 'TokenKeeper already holds data', remedy: 'none' },
  vendor_required: { title: 'The CSR must be signed by an MDM vendor', remedy: 'none' },
  keychain_unavailable: { title: 'The keychain is locked', remedy: 'retry' },
  database: { title: 'TokenKeeper could not save', remedy: 'retry' },
  database_damaged: { title: 'The database file is damaged', remedy: 'none' },
  server_unavailable: { title: "The team's server cannot be reached", remedy: 'retry' },
  read_only: { title: 'Read only until the server is back', remedy: 'none' },
  io: { title: 'The file cannot be read', remedy: 'choose_file' },
  autostart: { title: 'Starting at login could not be changed', remedy: 'retry' },
  internal: { title: 'Something went wrong', remedy: 'retry' },
};

export function explain(e: Pick<ApiError, 'kind'>): Explained {
  return TABLE[e.kind] ?? TABLE.internal;
}

/** The core's messages start in lower case ("expiry unknown: ..."); a line of its own does not. */
export function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/** Sentence case for a message from the core, which starts in lower case ("this is ..."). */
export function sentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const first = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
