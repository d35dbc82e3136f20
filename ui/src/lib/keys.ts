// Keys on record, for people, and what the key forms accept before asking the shell: the CSR's
// subject, the export password, the names suggested in the save dialog. No key material here:
// the UI only ever sees public facts and paths.

import type { KeyRecord } from './api';

export const PURPOSE_NAME: Record<KeyRecord['purpose'], string> = {
  push_csr: 'APNs CSR key',
  ade: 'ADE key pair',
  vendor: 'MDM vendor identity',
};

/** What a pending key waits for. */
export function keyWaitsFor(k: KeyRecord): string {
  switch (k.purpose) {
    case 'push_csr':
      return 'Waiting for the certificate Apple issues for this CSR: import the .pem and TokenKeeper attaches this key to it.';
    case 'ade':
      return k.recipient
        ? 'Waiting for a token encrypted to this certificate: the first one imported retires the previous key.'
        : 'Tried on this client’s tokens (no certificate was given with it).';
    case 'vendor':
      return 'Signs push CSRs for the portal.';
  }
}

/** A two-letter country code, as the CSR's subject needs. */
export function validCountry(c: string): boolean {
  return /^[A-Za-z]{2}$/.test(c.trim());
}

export function validEmail(e: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e.trim());
}

/** Why an export password cannot be used yet, or null. */
export function exportPasswordProblem(password: string, again: string): string | null {
  if (!password) return 'Type a password: the MDM asks for it when it imports the file.';
  if (password.length < 8) return 'Use at least 8 characters.';
  if (password !== again) return 'The two passwords differ.';
  return null;
}

/** A file name for the save dialog: the client's name made safe, then what the file is. */
export function suggestedName(client: string, what: 'csr' | 'push_request' | 'abm_public_key' | 'p12' | 'pem'): string {
  const safe = client.trim().replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'client';
  const tail: Record<typeof what, string> = {
    csr: 'APNs.csr',
    push_request: 'APNs_push_request.b64',
    abm_public_key: 'ABM_public_key.pem',
    p12: 'APNs_certificate.p12',
    pem: 'APNs_certificate_and_key.pem',
  };
  return `${safe}_${tail[what]}`;
}
