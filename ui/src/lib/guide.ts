// The renewal steps of DOMAIN.md ("Renewal flows the user follows"), per kind, written for the
// client at hand: the portal to open, the Apple Account to sign in with, and for APNs the topic
// of the row to Renew. Segments let the component emphasise what the user must match exactly.

import type { Kind, Portal } from './api';
import { PORTAL_NAME, PORTAL_URL, PUSH_PORTAL_URL } from './format';
import type { Target } from './wizard';

export type Segment = { text: string; strong?: boolean; code?: boolean };
export type GuideStep = Segment[];

export interface Guide {
  /** The portal to open, with its button's words. */
  portal: { url: string; name: string };
  steps: GuideStep[];
  /** The one thing never to do, said up front. */
  caution: string | null;
}

const t = (text: string): Segment => ({ text });
const b = (text: string): Segment => ({ text, strong: true });
const c = (text: string): Segment => ({ text, code: true });

export function portalFor(kind: Kind, portal: Portal): { url: string; name: string } {
  return kind === 'push_certificate'
    ? { url: PUSH_PORTAL_URL, name: 'Apple Push Certificates Portal' }
    : { url: PORTAL_URL[portal], name: PORTAL_NAME[portal] };
}

function signIn(account: string | null, fallback: string): GuideStep {
  return account ? [t('Sign in as '), b(account), t('.')] : [t(fallback)];
}

export function guideFor(kind: Kind, portal: Portal, target: Target | null): Guide {
  const where = portalFor(kind, portal);
  const account = target?.apple_account ?? null;
  switch (kind) {
    case 'push_certificate':
      if (target) {
        return {
          portal: where,
          caution:
            'Renew the existing row, never Create a Certificate: a new certificate has a new topic and every enrolled device would have to re-enroll.',
          steps: [
            [t('Get the certificate signing request (CSR) above. It must be '), b('signed by an MDM vendor'), t(': TokenKeeper signs it when a vendor certificate is on record; otherwise your MDM vendor or a signing service does. Hosted MDMs make their own CSR and keep the key: then TokenKeeper only tracks the certificate.')],
            [t('Open '), b('identity.apple.com'), t('. '), ...signIn(account, 'Sign in with the Apple Account that created this certificate (the same one every year).')],
            [t('Find the row whose topic is '), c(target.identity), t(' and click '), b('Renew'), t('.')],
            [t('Upload the CSR, then download the new '), c('.pem'), t('.')],
            [t('Drop the '), c('.pem'), t(' here or choose it. TokenKeeper checks the topic, the key and the expiry before saving anything.')],
          ],
        };
      }
      return {
        portal: where,
        caution: null,
        steps: [
          [t('Get the certificate signing request (CSR) above, '), b('signed by an MDM vendor'), t(' (or your MDM\'s own CSR, when it keeps the key).')],
          [t('Open '), b('identity.apple.com'), t(' and sign in with the Apple Account that will own this certificate: a shared company account, not a person\'s. Note it below; every renewal needs the same one.')],
          [t('Click '), b('Create a Certificate'), t(', upload the CSR, then download the '), c('.pem'), t('.')],
          [t('Drop the '), c('.pem'), t(' here or choose it.')],
        ],
      };
    case 'server_token':
      return {
        portal: where,
        caution: 'Downloading a new token resets the old one at once: upload the new token to your MDM right after.',
        steps: [
          [t('Open '), b(where.name), t('. '), ...signIn(account, 'Sign in as an administrator.')],
          target
            ? [t('Click your name, then '), b('Preferences'), t(', then the MDM server of '), b(target.label), t('.')]
            : [t('Click your name, then '), b('Preferences'), t(', then your MDM server (add it first if needed, with the public key downloaded above).')],
          [t('Click '), b('Download Token'), t('.')],
          [t('Drop the '), c('_smime.p7m'), t(' here or choose it. With the MDM server\'s private key TokenKeeper reads the expiry; without it, type the expiry shown in '), t(where.name), t('.')],
        ],
      };
    case 'content_token':
      return {
        portal: where,
        caution: target
          ? 'Replace the token of this location in your MDM; never add a second one: every app would be duplicated.'
          : null,
        steps: [
          [t('Open '), b(where.name), t('. '), ...signIn(account, 'Sign in as an administrator.')],
          [t('Click your name, then '), b('Preferences'), t(', then '), b('Payments and Billing'), t(', then '), b('Content Tokens'), t('.')],
          target
            ? [t('Download the token for the location '), b(target.identity), t('.')]
            : [t('Download the token for the location you want to add.')],
          [t('Drop the '), c('.vpptoken'), t(' here or choose it.')],
        ],
      };
  }
}

/** What to check with the client after a save. */
export function afterSave(kind: Kind, client: string): string {
  switch (kind) {
    case 'push_certificate':
      return `Upload the new certificate to your MDM if it does not take it from here, then ask ${client} to check that devices still answer (send a test command or a lock-screen message to one device).`;
    case 'server_token':
      return `Upload the new token to your MDM now (the old one stopped working when you downloaded this one), then check with ${client} that new devices enroll and device assignment syncs.`;
    case 'content_token':
      return `Replace the token in your MDM (never add it beside the old one), then check with ${client} that apps are still assigned and licences sync.`;
  }
}
