import { describe, expect, test } from 'vitest';
import type { KeyRecord } from '../src/lib/api';
import { exportPasswordProblem, keyWaitsFor, PURPOSE_NAME, suggestedName, validCountry, validEmail } from '../src/lib/keys';

const key = (over: Partial<KeyRecord>): KeyRecord => ({
  uid: 'k1',
  client: 'Acme',
  purpose: 'push_csr',
  label: 'APNs CSR 2026-11-21 12:00',
  subject: 'CN=Acme, C=US, emailAddress=it@acme.example',
  public_key_sha256: 'ab',
  recipient: null,
  expires_at: null,
  created_at: '2026-11-21T12:00:00Z',
  ...over,
});

describe('keys, for people', () => {
  test('each purpose has a name and says what it waits for', () => {
    expect(PURPOSE_NAME.push_csr).toBe('APNs CSR key');
    expect(keyWaitsFor(key({}))).toMatch(/Waiting for the certificate Apple issues/);
    expect(keyWaitsFor(key({ purpose: 'ade', recipient: { issuer: 'CN=x', serial: '01' } }))).toMatch(/token encrypted to this certificate/);
    expect(keyWaitsFor(key({ purpose: 'ade' }))).toMatch(/no certificate was given/);
    expect(keyWaitsFor(key({ purpose: 'vendor', client: null }))).toMatch(/Signs push CSRs/);
  });

  test("the CSR's subject: a two-letter country and an e-mail address", () => {
    expect(validCountry('us')).toBe(true);
    expect(validCountry(' DE ')).toBe(true);
    expect(validCountry('Germany')).toBe(false);
    expect(validCountry('D1')).toBe(false);
    expect(validEmail('it@acme.example')).toBe(true);
    expect(validEmail('it@acme')).toBe(false);
    expect(validEmail('it acme@x.example')).toBe(false);
  });

  test('an export password must be typed twice, alike, and long enough', () => {
    expect(exportPasswordProblem('', '')).toMatch(/Type a password/);
    expect(exportPasswordProblem('short', 'short')).toMatch(/at least 8/);
    expect(exportPasswordProblem('long enough', 'long enougH')).toMatch(/differ/);
    expect(exportPasswordProblem('long enough', 'long enough')).toBeNull();
  });

  test('save dialogs suggest a safe name per client and file', () => {
    expect(suggestedName('Acme Corp', 'csr')).toBe('Acme_Corp_APNs.csr');
    expect(suggestedName(' Beta/Dental: HQ ', 'abm_public_key')).toBe('Beta_Dental_HQ_ABM_public_key.pem');
    expect(suggestedName('***', 'p12')).toBe('client_APNs_certificate.p12');
  });
});
