import { describe, expect, test } from 'vitest';
import { afterSave, guideFor, portalFor } from '../src/lib/guide';

const text = (steps: { text: string }[][]) => steps.map((s) => s.map((x) => x.text).join('')).join('\n');
const target = { uid: 'u', label: 'APNs certificate', identity: 'com.apple.mgmt.External.abc', apple_account: 'it@acme.example', expires_at: null };

describe('renewal guides follow the portal flows', () => {
  test('APNs renewal: same Apple Account, Renew the row with the topic, never Create', () => {
    const g = guideFor('push_certificate', 'business', target);
    expect(g.portal.url).toBe('https://identity.apple.com');
    expect(g.caution).toMatch(/never Create a Certificate/);
    const t = text(g.steps);
    expect(t).toContain('Sign in as it@acme.example.');
    expect(t).toContain('Find the row whose topic is com.apple.mgmt.External.abc and click Renew.');
    const strong = g.steps.flat().filter((s) => s.strong || s.code).map((s) => s.text);
    expect(strong).toEqual(expect.arrayContaining(['it@acme.example', 'com.apple.mgmt.External.abc', 'Renew']));
  });

  test('the APNs CSR is made above and must be signed by an MDM vendor, or the MDM keeps the key', () => {
    const t = text(guideFor('push_certificate', 'business', target).steps);
    expect(t).toContain('Get the certificate signing request (CSR) above. It must be signed by an MDM vendor');
    expect(t).toContain('TokenKeeper only tracks the certificate');
    expect(text(guideFor('push_certificate', 'business', null).steps)).toContain('(CSR) above, signed by an MDM vendor');
    expect(text(guideFor('server_token', 'business', null).steps)).toContain('the public key downloaded above');
  });

  test('APNs without an account on record asks for the one that created it', () => {
    expect(text(guideFor('push_certificate', 'business', { ...target, apple_account: null }).steps)).toContain('the Apple Account that created this certificate');
  });

  test('a first APNs certificate is created, not renewed', () => {
    const g = guideFor('push_certificate', 'business', null);
    expect(g.caution).toBeNull();
    expect(text(g.steps)).toContain('Click Create a Certificate');
  });

  test('ADE and Apps and Books open the client portal', () => {
    expect(guideFor('server_token', 'school', null).portal).toEqual({ url: 'https://school.apple.com', name: 'Apple School Manager' });
    expect(portalFor('content_token', 'business').url).toBe('https://business.apple.com');
    expect(guideFor('server_token', 'business', null).caution).toMatch(/resets the old one/);
    const vpp = guideFor('content_token', 'business', { ...target, identity: 'Main Street' });
    expect(vpp.caution).toMatch(/never add a second one/);
    expect(text(vpp.steps)).toContain('Payments and Billing');
    expect(text(vpp.steps)).toContain('location Main Street');
  });

  test('after saving, check with the client', () => {
    expect(afterSave('server_token', 'Acme')).toMatch(/check with Acme that new devices enroll/);
    expect(afterSave('content_token', 'Acme')).toMatch(/apps are still assigned/);
  });
});
