// Data of the browser flows: the files the fake backend knows (by path) and a realistic set of
// clients for the screenshots.

export const TOPIC = 'com.apple.mgmt.External.18a16429-886b-41f1-9c30-2bd04ae4fc37';
export const OTHER_TOPIC = 'com.apple.mgmt.External.7c1e0b7e-0d4b-4a55-9f0e-5b2f1c9d3a21';
export const SILENT_TOPIC = 'com.apple.mgmt.External.aa11bb22-cc33-4d44-8e55-ff6677889900';

export const files = {
  '/Users/dana/Downloads/MDM_ Acme Corp_Certificate.pem': { kind: 'push_certificate', identity: TOPIC, expiresInDays: 200, sha: 'push-v1' },
  '/Users/dana/Downloads/MDM_ Acme Corp_Certificate (1).pem': { kind: 'push_certificate', identity: TOPIC, expiresInDays: 565, sha: 'push-v2' },
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
