// Data of the browser flows: the files the fake backend knows (by path) and a realistic set of
// clients for the screenshots.

export const TOPIC = 'com.apple.mgmt.External.18a16429-886b-41f1-9c30-2bd04ae4fc37';
export const OTHER_TOPIC = 'com.apple.mgmt.External.7c1e0b7e-0d4b-4a55-9f0e-5b2f1c9d3a21';
export const SILENT_TOPIC = 'com.apple.mgmt.External.aa11bb22-cc33-4d44-8e55-ff6677889900';

export const files = {
  '/Users/dana/Downloads/MDM_ Acme Corp_Certificate.pem': { kind: 'push_certificate', identity: TOPIC, expiresInDays: 200, sha: 'push-v1' },
  '/Users/dana/Downloads/MDM_ Acme Corp_Certificate (1).pem': { kind: 'push_certificate', identity: TOPIC, expiresInDays: 565, sha: 'push-v2' },
  // Issued for a CSR TokenKeeper made: its key is on record.
  '/Users/dana/Downloads/MDM_ Acme Corp_Certificate (2).pem': { kind: 'push_certificate', identity: TOPIC, expiresInDays: 700, sha: 'push-v3', keyOnRecord: true },
  '/Users/dana/Downloads/MDM_Created_By_Mistake.pem': { kind: 'push_certificate', identity: OTHER_TOPIC, expiresInDays: 365, sha: 'push-new-topic' },
  '/Users/dana/Downloads/MDM_Other_Account.pem': { kind: 'push_certificate', identity: SILENT_TOPIC, expiresInDays: 365, sha: 'push-silent', silentTopicChange: true },
  '/Users/dana/Downloads/sToken_for_Main Street.vpptoken': { kind: 'content_token', identity: 'Acme Main Street', expiresInDays: 365, sha: 'vpp-main' },
  '/Users/dana/Downloads/Beta_Token_2026-11-02_smime.p7m': { kind: 'server_token', identity: 'CK_4f1a9e0c22d1b7a6', expiresInDays: 365, sha: 'ade-beta', recipient: { issuer: 'CN=Beta MDM', serial: '1f2e3d' } },
  '/Users/dana/Downloads/Unknown_Org_Token_smime.p7m': { kind: 'server_token', identity: 'CK_0000aaaa1111bbbb', expiresInDays: 365, sha: 'ade-unknown' },
  // Encrypted for Acme's Austin MDM server: readable only with its key, which TokenKeeper lacks.
  '/Users/dana/Downloads/Austin_Token_2026-11-20_smime.p7m': {
    kind: 'server_token',
    identity: 'encrypted for CN=Acme Austin MDM (serial 70feddc7d5afa393)',
    decrypted: false,
    sha: 'ade-austin',
    needsKey: 'this ADE server token needs a private key: choose the private key of the certificate uploaded to this MDM server, or type the expiry shown in Apple Business Manager',
  },
  '/Users/dana/Pictures/cat.png': {
    error: {
      kind: 'unrecognized_file',
      message: 'this is a PNG image, not an Apple MDM credential: TokenKeeper reads APNs push certificates (.pem), ADE server tokens (*_smime.p7m) and Apps and Books tokens (.vpptoken)',
    },
  },
};

export const clients = [
  { name: 'Acme Corp', portal: 'business', notes: 'MDM: Jamf Pro. Contact: Dana Whitfield (IT lead), 555-0134.' },
  { name: 'Beta Dental', portal: 'business', notes: '' },
  { name: 'Northside School', portal: 'school', notes: 'Apple School Manager; two campuses.' },
  { name: 'Gamma Legal', portal: 'business', notes: '' },
];

export const credentials = [
  { client: 'Acme Corp', kind: 'push_certificate', label: 'APNs certificate', identity: TOPIC, expiresInDays: 12, apple_account: 'it@acme.example', revisions: 3, file_name: 'MDM_ Acme Corp_Certificate.pem', sha: 'acme-push' },
  { client: 'Acme Corp', kind: 'server_token', label: 'Cupertino ABM', identity: 'CK_75b2eb55cec9a1d0', expiresInDays: 200, apple_account: 'admin@acme.example', revisions: 2 },
  { client: 'Acme Corp', kind: 'server_token', label: 'Austin ABM', identity: 'encrypted for CN=Acme Austin MDM (serial 70feddc7d5afa393)', expiresInDays: null },
  { client: 'Acme Corp', kind: 'content_token', label: 'Main Street', identity: 'Acme Main Street', expiresInDays: -3, apple_account: 'vpp@acme.example', sha: 'acme-vpp-old' },
  { client: 'Acme Corp', kind: 'content_token', label: 'Harbour', identity: 'Acme Harbour Ltd', expiresInDays: 150 },
  { client: 'Beta Dental', kind: 'push_certificate', label: 'APNs certificate', identity: 'com.apple.mgmt.External.0b9d2c44-1e7a-4c1b-8d3e-2f4a6b8c0d1e', expiresInDays: -40, apple_account: 'office@betadental.example' },
  { client: 'Beta Dental', kind: 'server_token', label: 'ADE token', identity: 'CK_4f1a9e0c22d1b7a6', expiresInDays: 25, recipient: { issuer: 'CN=Beta MDM', serial: '1f2e3d' } },
  { client: 'Northside School', kind: 'push_certificate', label: 'APNs certificate', identity: 'com.apple.mgmt.External.5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f', expiresInDays: 300, apple_account: 'mdm@northside.example' },
  { client: 'Northside School', kind: 'server_token', label: 'District ASM', identity: 'CK_9a8b7c6d5e4f3a2b', expiresInDays: 100, error: 'Apple reports this token revoked: it was replaced by a newer download in Apple School Manager' },
  { client: 'Northside School', kind: 'content_token', label: 'Library', identity: 'Northside Library', expiresInDays: 60 },
  { client: 'Gamma Legal', kind: 'push_certificate', label: 'APNs certificate', identity: 'com.apple.mgmt.External.c0ffee00-1234-4abc-9def-0123456789ab', expiresInDays: 90 },
];

/** Counts of the curated set: 11 credentials, 2 renewal required, 2 expired or lapsed, 2 in error. */
export const COUNTS = { all: 11, renewal_required: 2, expired: 2, error: 2 };

// Checks with Apple: one client per service, one token per reason the core gives. The reasons
// are the core's own sentences (crates/core/src/apple/classify.rs `Finding::reason` for a client
// in Apple Business Manager, vault/checks.rs for the warnings), not paraphrases.
const SITE = 'business.apple.com';
const DL_DEP = `download a new token at ${SITE} (Preferences > your MDM server > Download Token), import it here and upload it to the MDM`;
const DL_VPP = `download it again at ${SITE} (Preferences > Payments and Billing > Content Tokens), import it here and replace the one in the MDM`;

export const REASONS = {
  terms: `Apple refuses this token until new terms are accepted: an Administrator must accept the new terms at ${SITE}`,
  revoked: `Apple rejected this token: it was revoked or replaced by a newer download; if someone downloaded a newer token, import that file, otherwise ${DL_DEP}`,
  expired: `Apple says this token has expired: ${DL_DEP}`,
  invalid: `Apple refused this token's credentials (expired or no longer valid): ${DL_DEP}`,
  denied: `Apple denied access with this token: check at ${SITE} that the MDM server or location still exists and that the account that downloaded it still has the right role`,
  unreachable: "could not check: Apple's Device Assignment service could not be reached (host not found: check the address and DNS)",
  busy: "could not check: Apple's Apps and Books service is busy and asked to wait until {retry_after}",
  vpp9621: `Apple says this content token has expired: ${DL_VPP}`,
  vpp9622: `Apple says this content token is invalid: it was regenerated, or the Managed Apple Account that downloaded it changed its password or was deleted; ${DL_VPP}`,
  vpp9625: `Apple says this content token was revoked: ${DL_VPP}`,
};

export const WARNINGS = {
  sharedUid: (client, label, uid) => `${client} "${label}" is a token for the same location (uId ${uid}): keep one token per location, or the MDM duplicates every app; remove the one that is not in use`,
  expiry: (apple, file) => `Apple's expiry for this token (${apple}) differs from the file on record (${file}): the token in use is probably another download; import the newest .vpptoken for this location`,
};

/** core's vault::SIGNING_EXPLANATION. */
export const SIGNING_EXPLANATION =
  "Apple's portal accepts a push CSR only once an MDM vendor has signed it, and no MDM vendor certificate is on record in TokenKeeper. Send the CSR to your MDM vendor or a CSR signing service, upload the signed request they return at identity.apple.com, then import the certificate: TokenKeeper matches it to the key it kept. If your MDM makes its own CSR and keeps the key (Intune and most hosted MDMs do), use your MDM's CSR instead and import only the certificate: TokenKeeper then tracks it (expiry and topic) without holding a key. If you hold an MDM vendor certificate, add its .p12 to TokenKeeper to sign requests here.";

const ade = (label, n) => ({ client: 'Northwind Traders', kind: 'server_token', label, identity: `CK_${String(n).repeat(4)}a9e0c22d1b7`, expiresInDays: 150 + n, apple_account: 'abm-admin@northwind.example' });
const vpp = (label, n) => ({ client: 'Harbour Clinic', kind: 'content_token', label, identity: `Harbour Clinic ${label}`, expiresInDays: 200 + n });

export const checkClients = [
  { name: 'Northwind Traders', portal: 'business', notes: 'MDM: Kandji.' },
  { name: 'Harbour Clinic', portal: 'business', notes: 'MDM: Mosyle. Three locations.' },
];

export const checkCredentials = [
  ade('Main ABM', 1),
  ade('Terms ABM', 2),
  ade('Revoked ABM', 3),
  ade('Expired ABM', 4),
  ade('Invalid ABM', 5),
  ade('Denied ABM', 6),
  ade('Offline ABM', 7),
  vpp('Main Street', 1),
  vpp('Main Street (old)', 2),
  vpp('Old Town', 3),
  vpp('Riverside', 4),
  vpp('Lakeside', 5),
  vpp('Hillside', 6),
  vpp('Seaside', 7),
];

const okDep = { server_name: 'Northwind MDM', server_uuid: '2f1c9d3a-0b7e-4a55-9f0e-5b2f1c9d3a21', org_name: 'Northwind Traders Ltd', admin_id: 'abm-admin@northwind.example', org_type: 'org' };
const okVpp = (location, uid, extra = {}) => ({ location_name: location, uid, apple_expires_at: '2027-06-01T10:00:00Z', country: 'GB', mdm_info: { id: 'id-mosyle', metadata: '', name: 'Mosyle' }, ...extra });
const problem = (reason, finding, http_status, apple_message) => ({ outcome: 'problem', reason, details: { finding, http_status, apple_message } });

/** Scripted check results by credential label (fake-apple.js). */
export const checks = {
  'Main ABM': { outcome: 'ok', details: okDep },
  'Terms ABM': problem(REASONS.terms, 'terms_not_accepted', 403, 'T_C_NOT_SIGNED'),
  'Revoked ABM': problem(REASONS.revoked, 'revoked', 401, 'oauth_problem=token_rejected'),
  'Expired ABM': problem(REASONS.expired, 'expired', 401, 'oauth_problem=token_expired'),
  'Invalid ABM': problem(REASONS.invalid, 'invalid_credentials', 401, 'UNAUTHORIZED'),
  'Denied ABM': problem(REASONS.denied, 'access_denied', 403, 'ACCESS_DENIED'),
  'Offline ABM': { outcome: 'could_not_check', reason: REASONS.unreachable, details: { finding: 'unreachable' } },
  'Main Street': { outcome: 'ok', details: okVpp('Main Street', '2049118', { warnings: [WARNINGS.sharedUid('Harbour Clinic', 'Main Street (old)', '2049118')] }) },
  'Main Street (old)': { outcome: 'ok', details: okVpp('Main Street', '2049118', { warnings: [WARNINGS.sharedUid('Harbour Clinic', 'Main Street', '2049118')] }) },
  'Old Town': { outcome: 'ok', details: okVpp('Old Town', '2049119', { warnings: [WARNINGS.expiry('2027-06-01T10:00:00Z', '2026-12-10T09:00:00Z')] }) },
  Riverside: { outcome: 'could_not_check', reason: REASONS.busy, retryAfterMinutes: 30, details: { finding: 'busy', http_status: 503 } },
  Lakeside: problem(REASONS.vpp9621, 'expired', 200, 'error 9621'),
  Hillside: problem(REASONS.vpp9622, 'invalid_credentials', 200, 'error 9622'),
  Seaside: problem(REASONS.vpp9625, 'revoked', 200, 'error 9625'),
};

/**
 * The team's channels as the shell lists them (no secret: a webhook shows only its host), for the
 * Settings screen: one working e-mail channel, one Teams channel that keeps failing, one Slack
 * channel never tested.
 */
export const channels = [
  {
    name: 'NOC e-mail',
    kind: 'email',
    settings: { host: 'smtp.msp.example', port: 587, security: 'starttls', username: 'alerts@msp.example', from: 'tokenkeeper@msp.example', to: ['noc@msp.example', 'dana@msp.example'] },
    clients: null,
    successDaysAgo: 1,
    password: 'seeded-smtp-password',
  },
  {
    name: 'Service desk (Teams)',
    kind: 'teams',
    endpoint: 'https://msp.webhook.office.com',
    clients: ['Acme Corp', 'Northside School'],
    successDaysAgo: 9,
    failureHoursAgo: 2,
    health: { failures: 3, pending: 2, last_error: 'the webhook no longer exists (404): edit the channel' },
    url: 'https://msp.webhook.office.com/webhookb2/gone/seeded-teams-token',
  },
  { name: 'Slack #mdm', kind: 'slack', endpoint: 'https://hooks.slack.com', clients: null, url: 'https://hooks.slack.com/services/T0/B0/seeded-slack-token' },
];
