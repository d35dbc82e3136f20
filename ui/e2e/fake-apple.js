// The fake backend's keys and checks with Apple: what the real shell answers for the CSR, the
// vendor-signed request, the export, ADE key pairs and the checks, over the fake's store.
// Check results are scripted per credential label in `config.checks` (see data.mjs: the exact
// reasons of crates/core/src/apple/classify.rs and vault/checks.rs), so the screenshots show
// every reason the core can give. Loaded after fake-backend.js, which calls it.
/* global window */
(function () {
  window.__tkFakeExtras = function ({ db, config, fail, log, clientByName, iso, newUid }) {
    const keys = [];
    let vendors = (config.vendors || []).map((label) => ({ uid: newUid(), client: null, purpose: 'vendor', label, subject: `CN=${label}`, public_key_sha256: 'ab'.repeat(32), recipient: null, expires_at: null, created_at: iso(Date.now()) }));
    let settings = {
      device_assignment_url: 'https://mdmenrollment.apple.com',
      apps_and_books_url: 'https://vpp.itunes.apple.com/mdm/v2',
      timeout_seconds: 30,
      schedule: { enabled: false, interval_hours: 24 },
    };
    const last = new Map();
    const scripted = config.checks || {};

    function key(client, purpose, label, subject, extra = {}) {
      const k = { uid: newUid(), client, purpose, label, subject, public_key_sha256: 'cd'.repeat(32), recipient: null, expires_at: null, created_at: iso(Date.now()), ...extra };
      keys.unshift(k);
      log('key_added', client, null, `${label} kept; its private key is in the keychain`, Date.now());
      return k;
    }

    function checkOne(cr) {
      const client = db.clients.find((c) => c.uid === cr.client_uid);
      const s = scripted[cr.label] || { outcome: 'ok', details: {} };
      const retryAt = s.retryAfterMinutes ? Date.now() + s.retryAfterMinutes * 60_000 : null;
      const until = retryAt ? `${iso(retryAt).slice(0, 16).replace('T', ' ')} UTC` : '';
      const result = {
        uid: cr.uid,
        client: client.name,
        label: cr.label,
        kind: cr.kind,
        service: cr.kind === 'content_token' ? 'apps_and_books' : 'device_assignment',
        checked_at: iso(Date.now()),
        outcome: s.outcome,
        reason: s.reason ? s.reason.replace('{retry_after}', until) : null,
        retry_after: retryAt ? iso(retryAt) : null,
        details: { ...s.details, warnings: s.details?.warnings ?? [] },
      };
      if (s.outcome === 'problem') cr.error = result.reason;
      else if (s.outcome === 'ok') cr.error = null;
      last.set(cr.uid, result);
      log(s.outcome === 'ok' ? 'checked' : 'check_failed', client.name, cr, s.reason ?? 'Apple accepted the token', Date.now());
      return result;
    }
    const checkable = (cr) => cr.kind !== 'push_certificate';

    return {
      list_keys: ({ client }) => (client ? keys.filter((k) => k.client && k.client.toLowerCase() === client.toLowerCase()) : [...keys, ...vendors]),
      remove_key: ({ uid }) => {
        const i = keys.findIndex((k) => k.uid === uid);
        if (i < 0) return fail('not_found', `key ${uid} not found: \`tokenkeeper keys\` lists the keys on record`);
        keys.splice(i, 1);
        return null;
      },
      create_push_csr: ({ args }) => {
        const c = clientByName(args.client);
        if (!c) return fail('not_found', `client "${args.client}" not found`);
        if (!/^[A-Za-z]{2}$/.test(args.country)) return fail('invalid_input', `"${args.country}" is not a two-letter country code (such as US or DE)`);
        const k = key(c.name, 'push_csr', `APNs CSR ${iso(Date.now()).slice(0, 16).replace('T', ' ')}`, `CN=${args.common_name || c.name}, C=${args.country}, emailAddress=${args.email}`);
        const vendor = vendors.length > 0;
        return { key: k, vendor_available: vendor, explanation: vendor ? null : config.signingExplanation };
      },
      push_request: ({ client }) => {
        if (!vendors.length) return fail('vendor_required', config.signingExplanation);
        const csr = keys.find((k) => k.purpose === 'push_csr' && k.client === clientByName(client)?.name);
        if (!csr) return fail('not_found', `a pending push CSR for ${client} not found: make one first (\`tokenkeeper csr\`)`);
        return { key_uid: csr.uid, vendor: vendors[0].label, chain_complete: true };
      },
      add_vendor: ({ label, password }) => {
        if (config.vendorPassword && password !== config.vendorPassword) return fail('wrong_password', 'the password does not open this .p12: check it and try again');
        const v = { uid: newUid(), client: null, purpose: 'vendor', label: label || 'Vendor', subject: `CN=${label}`, public_key_sha256: 'ef'.repeat(32), recipient: null, expires_at: null, created_at: iso(Date.now()) };
        vendors = [...vendors, v];
        return v;
      },
      export_certificate: ({ args, password }) => {
        if (args.format !== 'pem' && !password) return fail('invalid_input', 'a PKCS#12 export needs a password: type one (the MDM asks for it on import)');
        return null;
      },
      create_ade_key: ({ client }) => {
        const c = clientByName(client);
        if (!c) return fail('not_found', `client "${client}" not found`);
        return key(c.name, 'ade', `ADE key pair ${iso(Date.now()).slice(0, 16).replace('T', ' ')}`, `CN=TokenKeeper ADE ${c.name}`, {
          recipient: { issuer: `CN=TokenKeeper ADE ${c.name}`, serial: '5eed' },
          expires_at: iso(Date.now() + 20 * 365 * 86_400_000),
        });
      },
      save_ade_certificate: () => null,
      import_ade_key: ({ client, password }) => {
        if (config.keyPassword && password !== config.keyPassword) return fail('wrong_password', 'the password does not open this key file: check it and try again');
        return key(clientByName(client).name, 'ade', 'imported ADE key', 'CN=Existing MDM', { recipient: { issuer: 'CN=Existing MDM', serial: '01' } });
      },
      check_all: () => db.creds.filter(checkable).map(checkOne),
      check_client: ({ name }) => {
        const c = clientByName(name);
        if (!c) return fail('not_found', `client "${name}" not found`);
        return db.creds.filter((cr) => cr.client_uid === c.uid && checkable(cr)).map(checkOne);
      },
      check_credential: ({ uid }) => {
        const cr = db.creds.find((x) => x.uid === uid);
        if (!cr) return fail('not_found', 'credential not found');
        if (!checkable(cr)) return fail('invalid_input', 'APNs push certificates have no read-only check at Apple: only ADE server tokens and Apps and Books tokens are checked');
        return checkOne(cr);
      },
      last_checks: () => [...last.values()],
      get_check_settings: () => ({ ...settings, schedule: { ...settings.schedule } }),
      set_check_settings: ({ settings: s }) => {
        for (const url of [s.device_assignment_url, s.apps_and_books_url]) {
          if (!/^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url)) {
            return fail('invalid_input', `"${url}" cannot be used as Apple's address: use https://, or http:// to this computer only`);
          }
        }
        settings = { ...s };
        log('settings_changed', null, null, `Apple's addresses: Device Assignment ${s.device_assignment_url}, Apps and Books ${s.apps_and_books_url}`, Date.now());
        return { ...settings };
      },
      'plugin:dialog|save': () => (config.saves?.length ? config.saves.shift() : '/Users/dana/Downloads/saved-file'),
    };
  };
})();
