// An in-page stand-in for the Rust shell, for the browser flows: the IPC contract of the real
// commands over an in-memory store, with renewal rules close enough to crates/core/src/renewal.rs
// to drive every screen. Files are known by path from the test's table (the real shell reads
// them; the UI never sees bytes). Injected as an init script, before the app loads; every call
// is recorded in window.__tkCalls for assertions.
/* global window */
(function () {
  const DAY = 86_400_000;
  const URGENCY = { error: 4, lapsed: 3, expired: 2, renewal_required: 1, active: 0 };
  const KIND_ORDER = { push_certificate: 0, server_token: 1, content_token: 2 };
  const DISPLAY = {
    push_certificate: 'APNs push certificate',
    server_token: 'ADE server token',
    content_token: 'Apps and Books token',
  };

  function fail(kind, message) {
    return Promise.reject({ kind, message });
  }
  const TAB_IDS = ['all', 'renewal_required', 'expired', 'error'];
  const same = (a, b) => String(a).toLowerCase() === String(b).toLowerCase();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let uidSeq = 1;
  const newUid = () => `c${(uidSeq++).toString(16).padStart(8, '0')}`;

  function status(expiresAt, error, now, t) {
    if (!expiresAt) {
      return {
        state: 'error',
        days_left: null,
        reason: error || 'expiry unknown: import the token with its private key, or enter the expiry date shown in Apple Business Manager',
      };
    }
    const exp = Date.parse(expiresAt);
    const daysLeft = Math.floor((exp - now) / DAY);
    let state;
    if (error) state = 'error';
    else if (now < exp - t.renewal_window_days * DAY) state = 'active';
    else if (now < exp) state = 'renewal_required';
    else if (now <= exp + t.grace_days * DAY) state = 'expired';
    else state = 'lapsed';
    return { state, days_left: daysLeft, reason: error || null };
  }

  window.__tkFakeBackend = function (config) {
    const began = performance.now();
    const now = Date.now();
    const db = {
      clients: [],
      creds: [],
      events: [],
      settings: { renewal_window_days: 30, grace_days: 30 },
      mdm: [],
      channels: [],
      // Channel secrets by uid: the keychain's part, never in an answer.
      channelSecrets: {},
      // Each client's warning threshold and contact, by uid.
      alerting: {},
      // Where the vault is, and the team when it is a shared server (config.team).
      team: config.team
        ? { shared: true, me: null, members: [], ...config.team }
        : { database: '/home/tech/.local/share/app.tokenkeeper.desktop/tokenkeeper.db', shared: false, me: null, members: [] },
    };
    const files = {};
    for (const [path, f] of Object.entries(config.files || {})) {
      files[path] = { ...f, expires_at: f.expiresInDays == null ? (f.expires_at ?? null) : iso(now + f.expiresInDays * DAY) };
    }
    // The team's server away (config.connection): every change refused, as by the copy.
    db.connection = config.connection ?? null;
    // It answers again: as the shell, the window is told to reload.
    window.__tkReconnect = () => {
      db.connection = null;
      return window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'vault-changed', payload: null });
    };
    const calls = (window.__tkCalls = []);
    const answers = (window.__tkAnswers = []);
    const picks = (window.__tkPicks = [...(config.picks || [])]);
    // The fake's own time on the page's thread (the real shell works on threads of its own), so
    // the performance runs can tell it from the UI's: seeding, index builds and every command.
    const times = (window.__tkFakeTimes = { seed: null, builds: [], calls: [] });
    const builds = times.builds;

    function log(kind, client, cred, message, at = now) {
      db.events.push({ at: iso(at), kind, client: client ?? null, credential_uid: cred?.uid ?? null, label: cred?.label ?? null, message });
    }
    // Clients by uid: a credential names its client without a scan of every client.
    const clientOf = new Map();
    function addClient(name, portal = 'business', notes = '', at = now) {
      const c = { uid: newUid(), name, portal, notes, created_at: iso(at) };
      db.clients.push(c);
      clientOf.set(c.uid, c);
      return c;
    }
    function clientRow(c, counts) {
      return { ...c, credentials: counts ? (counts.get(c.uid) ?? 0) : db.creds.filter((x) => x.client_uid === c.uid).length };
    }
    function clientByName(name) {
      return db.clients.find((c) => same(c.name, String(name).trim()));
    }
    function summary(cr) {
      const client = clientOf.get(cr.client_uid);
      return {
        uid: cr.uid,
        client: client.name,
        portal: client.portal,
        kind: cr.kind,
        label: cr.label,
        identity: cr.identity,
        apple_account: cr.apple_account,
        expires_at: cr.expires_at,
        revision: cr.versions.length,
        status: status(cr.expires_at, cr.error ?? cr.mdmReason ?? null, Date.now(), db.settings),
        source: cr.mdm ? 'both' : 'file',
        mdm: cr.mdm ?? null,
      };
    }
    function sorted(list) {
      // As the core: each client's lowercase name worked out once, not in every comparison.
      const lower = new Map();
      const keyed = list.map((c) => {
        let l = lower.get(c.client);
        if (l === undefined) lower.set(c.client, (l = c.client.toLowerCase()));
        return { c, l };
      });
      keyed.sort(({ c: a, l: ac }, { c: b, l: bc }) => {
        const u = URGENCY[b.status.state] - URGENCY[a.status.state];
        if (u) return u;
        if (!a.expires_at !== !b.expires_at) return a.expires_at ? 1 : -1;
        if (a.expires_at !== b.expires_at) return a.expires_at < b.expires_at ? -1 : 1;
        // Lowercase client names, then labels, by code point (not by locale).
        if (ac !== bc) return ac < bc ? -1 : 1;
        return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
      });
      for (let i = 0; i < keyed.length; i++) list[i] = keyed[i].c;
      return list;
    }
    function facts(x, org) {
      return { identity: x.identity, expires_at: x.expires_at ?? null, organisation: org ?? null, recipient: x.recipient ?? null, apple_account: x.apple_account ?? null };
    }

    // Seeds: a curated set for screenshots, or N generated rows for the performance run.
    function seedCredential(client, kind, label, identity, expiresInDays, extra = {}) {
      const cr = {
        uid: newUid(),
        client_uid: client.uid,
        kind,
        label,
        identity,
        expires_at: expiresInDays == null ? null : iso(now + expiresInDays * DAY),
        apple_account: extra.apple_account ?? null,
        error: extra.error ?? null,
        key_held: extra.key_held ?? false,
        recipient: extra.recipient ?? null,
        sha: extra.sha ?? `seed-${identity}`,
        versions: [],
      };
      const revisions = extra.revisions ?? 1;
      for (let r = 1; r <= revisions; r++) {
        cr.versions.unshift({
          revision: r,
          file_name: extra.file_name ?? null,
          file_sha256: `${'ab'.repeat(31)}${String(r).padStart(2, '0')}`,
          identity,
          expires_at: expiresInDays == null ? null : iso(now + (expiresInDays - 365 * (revisions - r)) * DAY),
          apple_account: cr.apple_account,
          imported_at: iso(now - (365 * (revisions - r) + 20) * DAY),
        });
      }
      db.creds.push(cr);
      log(revisions > 1 ? 'renewed' : 'imported', client.name, cr, `${DISPLAY[kind]} ${revisions > 1 ? `renewed to revision ${revisions}` : 'added'} (${identity})`, now - 20 * DAY);
      return cr;
    }
    for (const c of config.clients || []) addClient(c.name, c.portal, c.notes);
    for (const s of config.credentials || []) {
      const client = clientByName(s.client) || addClient(s.client);
      seedCredential(client, s.kind, s.label, s.identity, s.expiresInDays, s);
    }
    // N generated credentials for the performance runs (fake-bulk.js).
    if (config.bulk) window.__tkFakeBulk(config.bulk, { now, iso, addClient, newUid, creds: db.creds });

    // What the core's renewal rules would decide for a file, without writing anything.
    function plan(args) {
      const file = files[args.path];
      if (!file) return { error: { kind: 'io', message: `${args.path}: No such file or directory (os error 2)` } };
      if (file.error) return { error: file.error };
      const client = clientByName(args.client);
      if (!client) return { error: { kind: 'not_found', message: `client "${args.client}" not found` } };
      if (file.needsKey && !args.key_path) return { error: { kind: 'key_required', message: file.needsKey } };
      const all = db.creds.filter((c) => c.kind === file.kind);
      const mine = all.filter((c) => c.client_uid === client.uid);
      const incoming = {
        identity: file.identity,
        expires_at: file.expires_at ?? (args.expires_at || null),
        recipient: file.recipient ?? null,
        apple_account: args.apple_account || null,
      };
      const label = args.label?.trim() || null;
      const sha = file.sha ?? args.path;
      const result = (action, target, warnings = [], newLabel) => {
        const plan = {
          client: client.name,
          kind: file.kind,
          action,
          ...(target ? { uid: target.uid } : {}),
          label: target ? target.label : newLabel,
          before: target ? facts(target, target.kind === 'content_token' ? target.identity : null) : null,
          after: facts({ ...incoming, apple_account: incoming.apple_account ?? target?.apple_account ?? null }, file.kind === 'content_token' ? file.identity : null),
          warnings,
          decrypted: file.decrypted ?? true,
          // As the core: a .pem for a CSR made here takes its pending key; otherwise only a key
          // already on record makes it more than tracked only.
          attaches_key: file.keyOnRecord ? 'pending-key' : null,
          tracked_only: file.kind === 'push_certificate' && !file.keyOnRecord && !target?.key_held,
        };
        return { plan, target, file, client, sha };
      };
      const same_file = all.find((c) => c.sha === sha);
      if (same_file) {
        if (same_file.client_uid === client.uid) return result('already_on_record', same_file);
        const owner = db.clients.find((c) => c.uid === same_file.client_uid);
        return { error: { kind: 'duplicate', message: `this exact file is already on record as an ${DISPLAY[file.kind]} of ${owner.name} ("${same_file.label}"): renew the existing ${DISPLAY[file.kind]} instead of adding it again` } };
      }
      const byLabel = label ? mine.find((c) => same(c.label, label)) : null;
      const defaultLabel = () => {
        const base = label || (file.kind === 'push_certificate' ? 'APNs certificate' : file.kind === 'server_token' ? 'ADE token' : file.identity);
        let l = base;
        for (let n = 2; mine.some((c) => same(c.label, l)); n++) l = `${base} ${n}`;
        return l;
      };
      let out;
      if (file.kind === 'push_certificate') {
        const sameTopic = all.find((c) => c.identity === file.identity);
        if (sameTopic && sameTopic.client_uid !== client.uid) {
          const owner = db.clients.find((c) => c.uid === sameTopic.client_uid);
          return { error: { kind: 'duplicate', message: `this push certificate (topic ${file.identity}) is on record for ${owner.name}: one APNs certificate serves one MDM; import it for ${owner.name}, or check which client's file this is` } };
        }
        const target = sameTopic || byLabel || (!label && mine.length === 1 ? mine[0] : null);
        if (!target) {
          out = result('new', null, mine.length ? [{ kind: 'second_certificate', message: `${client.name} already has an APNs certificate ("${mine[0].label}", topic ${mine[0].identity}): if this file renews it, import it as "${mine[0].label}"; a second certificate only makes sense for a second MDM server` }] : [], defaultLabel());
        } else if (target.identity === file.identity || file.silentTopicChange) {
          out = result('renew', target);
        } else {
          const account = target.apple_account ? `the Apple Account ${target.apple_account}` : 'the Apple Account that created it';
          out = result('renew', target, [{ kind: 'new_topic', message: `this is a new certificate, not a renewal: its topic ${file.identity} differs from ${target.identity} on record for "${target.label}", so every enrolled device would have to re-enroll; in the portal (identity.apple.com), signed in with ${account}, Renew the row whose topic is ${target.identity}` }]);
        }
      } else if (file.kind === 'server_token') {
        const match = mine.find((c) => c.identity === file.identity);
        const target = byLabel || match || (!label && mine.length === 1 ? mine[0] : null);
        if (!target) out = result('new', null, [], defaultLabel());
        else if (target.identity === file.identity) out = result('renew', target);
        else out = result('renew', target, [{ kind: 'identity_changed', message: `this token is for another MDM server (consumer key ${file.identity}) than "${target.label}" (${target.identity}): confirm only if another ABM administrator renewed it; if it belongs to a different MDM server, add it under a new label instead` }]);
      } else {
        const sameOrg = mine.filter((c) => c.identity === file.identity);
        if (byLabel) {
          out = result('renew', byLabel, byLabel.identity === file.identity ? [] : [{ kind: 'identity_changed', message: `this token is for the organisation "${file.identity}", but "${byLabel.label}" holds a token for "${byLabel.identity}": confirm only if the organisation was renamed` }]);
        } else if (sameOrg.length === 1) {
          out = result('renew', sameOrg[0]);
        } else {
          out = result('new', null, [], defaultLabel());
        }
      }
      if (out.plan.action === 'renew' && out.target.expires_at && incoming.expires_at && incoming.expires_at < out.target.expires_at) {
        return { error: { kind: 'older_file', message: `this ${DISPLAY[file.kind]} expires ${incoming.expires_at.slice(0, 10)}, before the one on record for "${out.target.label}" (${out.target.expires_at.slice(0, 10)}): it is an older download; use the newest file` } };
      }
      return out;
    }

    function importFile(args, confirmation) {
      const p = plan(args);
      if (p.error) {
        log('refused', args.client, null, `${args.path.split('/').pop()} refused: ${p.error.message}`);
        return fail(p.error.kind, p.error.message);
      }
      const { plan: pl, target, file, client, sha } = p;
      for (const w of pl.warnings) {
        const ok = w.kind === 'new_topic' ? confirmation.accept_new_identity : confirmation.confirmed || confirmation.accept_new_identity;
        if (!ok) {
          const kind = w.kind === 'new_topic' ? 'identity_changed' : w.kind === 'new_location' ? 'duplicate' : 'confirmation_required';
          log('refused', client.name, null, `refused: ${w.message}`);
          return fail(kind, w.message);
        }
      }
      if (file.silentTopicChange && !confirmation.accept_new_identity) {
        const message = `this is a new certificate, not a renewal: its topic ${file.identity} differs from ${target.identity} on record for "${target.label}", so every enrolled device would have to re-enroll; in the portal (identity.apple.com), Renew the row whose topic is ${target.identity}`;
        log('refused', client.name, null, `refused: ${message}`);
        return fail('identity_changed', message);
      }
      if (pl.action === 'already_on_record') return Promise.resolve({ ...pl, uid: target.uid, revision: target.versions.length });
      let cr = target;
      if (!cr) {
        cr = { uid: newUid(), client_uid: client.uid, kind: file.kind, label: pl.label, versions: [], error: null };
        db.creds.push(cr);
      }
      Object.assign(cr, {
        identity: file.identity,
        expires_at: pl.after.expires_at,
        apple_account: pl.after.apple_account,
        recipient: file.recipient ?? null,
        sha,
        error: null,
        key_held: !!(pl.attaches_key || cr.key_held),
      });
      const revision = cr.versions.length + 1;
      cr.versions.unshift({ revision, file_name: args.path.split('/').pop(), file_sha256: `${'cd'.repeat(31)}${String(revision).padStart(2, '0')}`, identity: file.identity, expires_at: cr.expires_at, apple_account: cr.apple_account, imported_at: iso(Date.now()) });
      log(target ? 'renewed' : 'imported', client.name, cr, target ? `${DISPLAY[file.kind]} renewed to revision ${revision}` : `${DISPLAY[file.kind]} added (${file.identity})`, Date.now());
      for (const w of pl.warnings) log('warning_accepted', client.name, cr, w.message, Date.now());
      return Promise.resolve({ ...pl, uid: cr.uid, revision });
    }

    // The dashboard's index, as the shell keeps it (src-tauri/src/commands/dashboard.rs): built
    // on a fresh request or after any change, then every query is one pass over it.
    const STATE_LABEL = { active: 'Active', renewal_required: 'Renewal Required', expired: 'Expired', lapsed: 'Lapsed', error: 'Error' };
    const NAME = { push_certificate: 'APNs certificate', server_token: 'ADE token', content_token: 'Apps and Books token' };
    const TAB = { active: null, renewal_required: 'renewal_required', expired: 'expired', lapsed: 'expired', error: 'error' };
    let index = null;
    // As the shell's FRESH_FOR: an index this recent serves a fresh request (the one built while
    // the window loads serves the window's first).
    const FRESH_FOR = 2000;
    function dashboardIndex(fresh) {
      if (!index || (fresh && performance.now() - index.at > FRESH_FOR)) {
        const t0 = performance.now();
        const rows = sorted(db.creds.map(summary));
        const tabs = rows.map((c) => TAB[c.status.state]);
        index = {
          at: performance.now(),
          rows,
          tabs,
          text: rows.map((c) => [c.client, NAME[c.kind], c.label, c.identity, c.apple_account ?? '', STATE_LABEL[c.status.state]].join('\u0000').toLowerCase()),
          attention: tabs.filter(Boolean).length,
          checkable: rows.some((c) => c.kind !== 'push_certificate'),
        };
        builds.push({ at: t0, ms: performance.now() - t0 });
      }
      return index;
    }
    function dashboardPage({ tab, search, offset, limit }, fresh) {
      const ix = dashboardIndex(fresh);
      const words = String(search).toLowerCase().split(/\s+/).filter(Boolean);
      const counts = { all: 0, renewal_required: 0, expired: 0, error: 0 };
      const rows = [];
      const end = offset + Math.min(limit, 500);
      let matched = 0;
      outer: for (let i = 0; i < ix.rows.length; i++) {
        for (const w of words) if (!ix.text[i].includes(w)) continue outer;
        const t = ix.tabs[i];
        counts.all++;
        if (t) counts[t]++;
        if (tab === 'all' || t === tab) {
          if (matched >= offset && matched < end) rows.push(ix.rows[i]);
          matched++;
        }
      }
      return {
        total: ix.rows.length,
        attention: ix.attention,
        checkable: ix.checkable,
        clients: db.clients.length,
        counts,
        matched,
        offset: Math.min(offset, matched),
        rows,
      };
    }
    function clientTallies() {
      const by = new Map();
      for (const c of dashboardIndex(false).rows) {
        const key = c.client.toLowerCase();
        const t = by.get(key) ?? { client: c.client, credentials: 0, attention: 0, worst: 'active' };
        t.credentials++;
        if (c.status.state !== 'active') t.attention++;
        if (URGENCY[c.status.state] > URGENCY[t.worst]) t.worst = c.status.state;
        by.set(key, t);
      }
      return [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, t]) => t);
    }
    const READS = new Set(['dashboard', 'take_opened_files', 'get_reminders', 'client_tallies', 'find_credential', 'list_credentials', 'list_clients', 'get_client', 'client_credentials', 'expected_renewal', 'identify_file', 'plan_import', 'list_events', 'get_settings', 'get_team', 'last_checks', 'get_check_settings', 'get_reminders', 'get_autostart', 'list_keys', 'mdm_connections', 'list_channels', 'client_alerting', 'team_connection']);

    // MDM connections, as the core keeps them: the secret is taken and never given back.
    const VENDOR_NAMES = { intune: 'Intune', jamf: 'Jamf Pro', fleet: 'Fleet', kandji: 'Kandji', simplemdm: 'SimpleMDM', jumpcloud: 'JumpCloud' };
    function mdmReport(name, vendor, secret) {
      if (secret === 'wrong') return { connection: name, vendor, ok: false, push_certificates: 0, server_tokens: 0, content_tokens: 0, error: 'the MDM refused TokenKeeper\'s credentials (HTTP 401): check the client secret and that it may read the MDM\'s Apple settings' };
      return { connection: name, vendor, ok: true, push_certificates: 1, server_tokens: 1, content_tokens: 1, error: null };
    }
    function mdmForm(form) {
      if (!String(form.name || '').trim()) return fail('invalid_input', 'an MDM connection needs a name');
      if (form.vendor === 'intune' && !String(form.tenant || '').trim()) return fail('invalid_input', 'Intune needs the tenant (directory) id');
      return null;
    }
    function syncOne(m) {
      const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      m.attempted_at = at;
      if (m.secret === 'wrong') {
        m.last_error = mdmReport(m.name, m.vendor, m.secret).error;
        return mdmReport(m.name, m.vendor, m.secret);
      }
      m.synced_at = at;
      m.last_error = null;
      m.held = 3;
      const client = clientByName(m.client);
      // The MDM still holds last year's push certificate: a disagreement on the card.
      for (const cr of db.creds.filter((x) => x.client_uid === client?.uid && x.kind === 'push_certificate')) {
        const held = iso(Date.now() + 5 * DAY);
        cr.mdm = { connection: m.name, vendor: m.vendor, expires_at: held, synced_at: at };
        if (cr.expires_at && cr.expires_at.slice(0, 10) !== held.slice(0, 10) && cr.expires_at > held) {
          cr.mdmReason = `the renewed certificate on record expires ${cr.expires_at.slice(0, 10)} but ${VENDOR_NAMES[m.vendor]} still holds the one expiring ${held.slice(0, 10)}: upload the renewed certificate to ${VENDOR_NAMES[m.vendor]}`;
        }
      }
      log('mdm_synced', m.client, null, `${m.name} (${VENDOR_NAMES[m.vendor]}) read`, Date.now());
      return mdmReport(m.name, m.vendor, m.secret);
    }

    // The team's channels, as the core keeps them (vault/channels.rs): the public part listed,
    // the secret (webhook URL, SMTP password, signing key) taken and never given back.
    const WARN_DAYS = [30, 45, 60, 90];
    const looksLikeEmail = (a) => typeof a === 'string' && a.length <= 254 && a.split('@').length === 2 && a.split('@').every(Boolean) && !/[\s<>,;"()[\]\\]/.test(a);
    function endpointOf(url) {
      const m = /^(https?):\/\/([^/?#\s]+)/i.exec(String(url).trim());
      if (!m) return { error: 'the webhook address must start with https://' };
      const hostPort = m[2].split('@').pop();
      const host = hostPort.replace(/:\d+$/, '');
      if (m[1].toLowerCase() === 'http' && !['127.0.0.1', 'localhost', '[::1]'].includes(host)) return { error: 'the webhook address must use https:// (http:// only for this computer)' };
      return { endpoint: `${m[1].toLowerCase()}://${hostPort}` };
    }
    function parseSmtp(url) {
      const m = /^(smtps?):\/\/(?:([^@/\s]+)@)?([^:/\s@]+)(?::(\d{1,5}))?\/?$/i.exec(String(url ?? '').trim());
      if (!m) return null;
      const tls = m[1].toLowerCase() === 'smtps';
      const port = m[4] ? Number(m[4]) : tls ? 465 : 587;
      if (port < 1 || port > 65535) return null;
      return { security: tls ? 'tls' : 'starttls', user: m[2] ?? null, host: m[3], port };
    }
    const blank = (s) => (typeof s === 'string' && s.trim() ? s : null);
    /** The spec the shell builds from a form, or a failure. */
    function channelSpec(form) {
      const name = String(form.name ?? '').trim();
      if (!name || name.length > 100) return { error: ['invalid_input', 'a channel needs a name (printable, at most 100 characters)'] };
      const settings = { host: '', port: 0, security: 'starttls', username: null, from: null, to: [], ca_file: blank(form.ca_file) };
      if (form.kind === 'email') {
        if (!blank(form.smtp_server)) return { error: ['invalid_input', 'an e-mail channel needs its SMTP server (smtp://HOST:PORT or smtps://HOST:PORT)'] };
        const smtp = parseSmtp(form.smtp_server);
        if (!smtp) return { error: ['invalid_input', 'an SMTP server is smtp://USER@HOST:PORT (STARTTLS) or smtps://USER@HOST:PORT (TLS)'] };
        Object.assign(settings, { host: smtp.host, port: smtp.port, security: smtp.security, username: blank(form.username)?.trim() ?? smtp.user, from: blank(form.from)?.trim() ?? null });
        settings.to = (form.to || []).map((a) => a.trim()).filter(Boolean);
        if (!looksLikeEmail(settings.from ?? '')) return { error: ['invalid_input', `"${settings.from ?? ''}" is not an e-mail address`] };
        if (!settings.to.length) return { error: ['invalid_input', 'an e-mail channel needs at least one recipient (--to)'] };
        const bad = settings.to.find((a) => !looksLikeEmail(a));
        if (bad) return { error: ['invalid_input', `"${bad}" is not an e-mail address`] };
      }
      let clients = null;
      if (form.clients) {
        clients = [];
        for (const n of form.clients) {
          const c = clientByName(n);
          if (!c) return { error: ['not_found', `client "${n}" not found: \`tokenkeeper client list\` shows the clients`] };
          clients.push(c.name);
        }
      }
      return { spec: { name, kind: form.kind, settings, clients } };
    }
    function channelSecret(secrets) {
      const s = secrets || {};
      return { url: blank(s.url)?.trim() ?? null, password: s.password ? s.password : null, signing_key: blank(s.signing_key)?.trim() ?? null };
    }
    /** Checks a spec with its secret as check_spec does; the endpoint of a webhook. */
    function checkChannel(spec, secret) {
      if (spec.kind === 'email') {
        if (spec.settings.username && secret && !secret.password) return { error: ['invalid_input', 'an SMTP account needs its password'] };
        return {};
      }
      if (!secret) return {};
      if (!secret.url) return { error: ['invalid_input', 'a webhook channel needs its URL'] };
      const e = endpointOf(secret.url);
      return e.error ? { error: ['invalid_input', e.error] } : { endpoint: e.endpoint };
    }
    /** A client's alerting as set_client_alerting checks it, before anything is written. */
    function checkAlerting(a) {
      if (!a) return null;
      if (a.warn_days != null && !WARN_DAYS.includes(a.warn_days)) return fail('invalid_input', `a client's warning threshold is 30, 45, 60, 90 days, not ${a.warn_days}`);
      const contact = a.contact_email?.trim();
      if (contact && !looksLikeEmail(contact)) return fail('invalid_input', `"${contact}" is not an e-mail address`);
      return null;
    }
    function setAlerting(c, a) {
      db.alerting[c.uid] = { warn_days: a.warn_days ?? null, contact_email: a.contact_email?.trim() || null };
      log('client_updated', c.name, null, `warning threshold ${a.warn_days ? `${a.warn_days} days` : "the vault's"}; contact ${db.alerting[c.uid].contact_email ?? 'nobody'}`, Date.now());
    }
    function channelByName(name) {
      return db.channels.find((c) => same(c.name, String(name).trim()));
    }
    const shownChannel = (c) => JSON.parse(JSON.stringify(c));
    function sortChannels() {
      db.channels.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    }
    function seedChannel(s) {
      const c = {
        uid: newUid(),
        name: s.name,
        kind: s.kind,
        endpoint: s.endpoint ?? null,
        settings: { host: '', port: 0, security: 'starttls', username: null, from: null, to: [], ca_file: null, ...(s.settings || {}) },
        clients: s.clients ?? null,
        health: { last_success_at: null, last_failure_at: null, last_error: null, failures: 0, pending: 0, problem: false, ...(s.health || {}) },
      };
      if (s.successDaysAgo != null) c.health.last_success_at = iso(now - s.successDaysAgo * DAY);
      if (s.failureHoursAgo != null) c.health.last_failure_at = iso(now - s.failureHoursAgo * 3600_000);
      c.health.problem = c.health.failures >= 2;
      db.channels.push(c);
      db.channelSecrets[c.uid] = { url: s.url ?? null, password: s.password ?? null, signing_key: s.signing_key ?? null };
    }
    for (const s of config.channels || []) seedChannel(s);
    sortChannels();
    /** What a test message meets: a server that cannot be reached, a receiver that fails, or delivery. */
    function sendTest(c) {
      const secret = db.channelSecrets[c.uid] || {};
      if (c.kind === 'email') {
        if (c.settings.host.endsWith('.invalid')) return `the SMTP server ${c.settings.host}:${c.settings.port} could not be reached: no such host`;
        if (c.settings.username && secret.password === 'wrong') return 'the SMTP server refused the account (535 authentication failed): check the account and its password';
        return null;
      }
      if (String(secret.url).includes('/broken/')) return 'the receiver failed (500); it is tried again';
      if (String(secret.url).includes('/gone/')) return 'the webhook no longer exists (404): edit the channel';
      return null;
    }

    const commands = {
      list_channels: () => db.channels.map(shownChannel),
      add_channel: ({ form, secrets }) => {
        const built = channelSpec(form);
        if (built.error) return fail(...built.error);
        const secret = channelSecret(secrets);
        const checked = checkChannel(built.spec, secret);
        if (checked.error) return fail(...checked.error);
        if (channelByName(built.spec.name)) return fail('already_exists', `a channel named "${built.spec.name}" already exists`);
        const c = { uid: newUid(), ...built.spec, endpoint: checked.endpoint ?? null, health: { last_success_at: null, last_failure_at: null, last_error: null, failures: 0, pending: 0, problem: false } };
        db.channels.push(c);
        db.channelSecrets[c.uid] = secret;
        sortChannels();
        log('channel_added', null, null, `channel "${c.name}" added (${c.kind})`, Date.now());
        return shownChannel(c);
      },
      update_channel: ({ name, form, secrets }) => {
        const c = channelByName(name);
        if (!c) return fail('not_found', `channel "${name}" not found: \`tokenkeeper channel list\` shows the channels`);
        const built = channelSpec(form);
        if (built.error) return fail(...built.error);
        if (built.spec.kind !== c.kind) return fail('invalid_input', 'a channel keeps its kind: remove it and add a new one');
        const given = channelSecret(secrets);
        const any = given.url || given.password || given.signing_key;
        const stored = db.channelSecrets[c.uid] || {};
        const merged = any ? { url: given.url ?? stored.url ?? null, password: given.password ?? stored.password ?? null, signing_key: given.signing_key ?? stored.signing_key ?? null } : null;
        const checked = checkChannel(built.spec, merged);
        if (checked.error) return fail(...checked.error);
        if (db.channels.some((o) => o !== c && same(o.name, built.spec.name))) return fail('already_exists', `a channel named "${built.spec.name}" already exists`);
        Object.assign(c, built.spec, { endpoint: checked.endpoint ?? c.endpoint });
        if (merged) db.channelSecrets[c.uid] = merged;
        sortChannels();
        log('channel_updated', null, null, `channel "${c.name}" changed`, Date.now());
        return shownChannel(c);
      },
      remove_channel: ({ name }) => {
        const c = channelByName(name);
        if (!c) return fail('not_found', `channel "${name}" not found: \`tokenkeeper channel list\` shows the channels`);
        db.channels = db.channels.filter((x) => x !== c);
        delete db.channelSecrets[c.uid];
        log('channel_removed', null, null, `channel "${c.name}" removed`, Date.now());
        return null;
      },
      test_channel: ({ name }) => {
        const c = channelByName(name);
        if (!c) return fail('not_found', `channel "${name}" not found: \`tokenkeeper channel list\` shows the channels`);
        const why = sendTest(c);
        const at = iso(Date.now());
        if (why) {
          Object.assign(c.health, { last_failure_at: at, last_error: why, failures: c.health.failures + 1 });
          c.health.problem = c.health.failures >= 2;
          log('alert_failed', null, null, `test message to channel "${c.name}" failed: ${why}`, Date.now());
          return fail('invalid_input', `the test message to "${c.name}" failed: ${why}`);
        }
        Object.assign(c.health, { last_success_at: at, failures: 0, problem: false });
        log('alert_delivered', null, null, `test message delivered to channel "${c.name}"`, Date.now());
        return shownChannel(c);
      },
      client_alerting: ({ name }) => {
        const c = clientByName(name);
        if (!c) return fail('not_found', `client "${name}" not found`);
        return { warn_days: null, contact_email: null, ...db.alerting[c.uid] };
      },
      mdm_connections: () => db.mdm.map(({ secret: _secret, ...m }) => ({ ...m })),
      add_mdm_connection: ({ form, secret }) => {
        const bad = mdmForm(form);
        if (bad) return bad;
        if (!clientByName(form.client)) return fail('not_found', `client "${form.client}" not found`);
        if (db.mdm.some((m) => same(m.name, form.name))) return fail('already_exists', `an MDM connection named "${form.name}" already exists`);
        const m = { uid: `mdm-${db.mdm.length + 1}`, name: form.name.trim(), client: form.client, vendor: form.vendor, url: form.url || 'https://graph.microsoft.com', tenant: form.tenant || null, client_id: form.client_id || null, own_ca: !!form.ca_pem, created_at: new Date().toISOString(), synced_at: null, attempted_at: null, last_error: null, held: 0, secret };
        db.mdm.push(m);
        log('mdm_connected', m.client, null, `MDM connection "${m.name}" added`, Date.now());
        const { secret: _s, ...shown } = m;
        return shown;
      },
      remove_mdm_connection: ({ name }) => {
        const m = db.mdm.find((x) => same(x.name, name));
        if (!m) return fail('not_found', `MDM connection "${name}" not found`);
        db.mdm = db.mdm.filter((x) => x !== m);
        for (const cr of db.creds) if (cr.mdm?.connection === m.name) { delete cr.mdm; delete cr.mdmReason; }
        return null;
      },
      test_mdm_connection: ({ form, secret }) => mdmForm(form) ?? mdmReport(form.name, form.vendor, secret),
      sync_mdm: ({ name }) => {
        const list = name ? db.mdm.filter((m) => same(m.name, name)) : db.mdm;
        if (name && !list.length) return fail('not_found', `MDM connection "${name}" not found`);
        return list.map(syncOne);
      },
      list_credentials: () => sorted(db.creds.map(summary)),
      dashboard: ({ query, fresh }) => {
        if (!TAB_IDS.includes(query?.tab)) return Promise.reject(`invalid args \`query\` for command \`dashboard\`: unknown variant \`${query?.tab}\``);
        return dashboardPage(query, fresh);
      },
      client_tallies: () => clientTallies(),
      find_credential: ({ uid }) => dashboardIndex(false).rows.find((c) => c.uid === uid) ?? fail('not_found', 'credential not found: it may have been removed'),
      list_clients: () => {
        const counts = new Map();
        for (const x of db.creds) counts.set(x.client_uid, (counts.get(x.client_uid) ?? 0) + 1);
        const byName = new Intl.Collator();
        return db.clients
          .map((c) => ({ c, l: c.name.toLowerCase() }))
          .sort((a, b) => byName.compare(a.l, b.l))
          .map(({ c }) => clientRow(c, counts));
      },
      get_client: ({ name }) => {
        const c = clientByName(String(name ?? '').trim());
        return c ? clientRow(c, new Map([[c.uid, db.creds.filter((x) => x.client_uid === c.uid).length]])) : null;
      },
      add_client: ({ name, portal, notes, alerting }) => {
        const n = String(name || '').trim();
        if (!n) return fail('invalid_input', 'a client needs a name (printable characters)');
        const bad = checkAlerting(alerting);
        if (bad) return bad;
        if (clientByName(n)) return fail('already_exists', `a client named "${n}" already exists`);
        const c = addClient(n, portal, notes || '', Date.now());
        if (alerting) setAlerting(c, alerting);
        log('client_added', n, null, `client added (https://${portal}.apple.com)`, Date.now());
        return clientRow(c);
      },
      update_client: ({ name, newName, portal, notes, alerting }) => {
        const c = clientByName(name);
        if (!c) return fail('not_found', `client "${name}" not found`);
        const n = String(newName || '').trim();
        if (!n) return fail('invalid_input', 'a client needs a name');
        const bad = checkAlerting(alerting);
        if (bad) return bad;
        if (db.clients.some((o) => o !== c && same(o.name, n))) return fail('already_exists', `a client named "${n}" already exists`);
        const renamed = c.name !== n;
        Object.assign(c, { name: n, portal, notes });
        if (alerting) setAlerting(c, alerting);
        log('client_updated', n, null, renamed ? `client renamed from "${name}"` : 'client details changed', Date.now());
        return clientRow(c);
      },
      remove_client: ({ name }) => {
        const c = clientByName(name);
        if (!c) return fail('not_found', `client "${name}" not found`);
        const count = db.creds.filter((x) => x.client_uid === c.uid).length;
        db.creds = db.creds.filter((x) => x.client_uid !== c.uid);
        db.clients = db.clients.filter((x) => x !== c);
        log('client_removed', c.name, null, `client removed with its ${count} credential(s)`, Date.now());
        return null;
      },
      client_credentials: ({ name }) => {
        const c = clientByName(name);
        if (!c) return fail('not_found', `client "${name}" not found`);
        return db.creds
          .filter((x) => x.client_uid === c.uid)
          .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.label.localeCompare(b.label))
          .map((x) => ({ summary: summary(x), versions: x.versions, events: db.events.filter((e) => e.credential_uid === x.uid).slice().reverse(), key_held: !!x.key_held }));
      },
      // The core's rule (renewal.rs `expected_target`): the labelled one, or the only push certificate.
      expected_renewal: ({ client, kind, label }) => {
        const c = clientByName(client);
        if (!c) return fail('not_found', `client "${client}" not found`);
        const mine = db.creds.filter((x) => x.client_uid === c.uid && x.kind === kind);
        const l = (label ?? '').trim();
        const found = l ? mine.find((x) => same(x.label, l)) : kind === 'push_certificate' && mine.length === 1 ? mine[0] : null;
        if (!found) return null;
        const s = summary(found);
        return { uid: s.uid, label: s.label, identity: s.identity, apple_account: s.apple_account, expires_at: s.expires_at };
      },
      identify_file: ({ path }) => {
        const file = files[path];
        if (!file) return fail('io', `${path}: No such file or directory (os error 2)`);
        if (file.error) return fail(file.error.kind, file.error.message);
        const hits = db.creds.filter((c) => c.kind === file.kind && c.identity === file.identity);
        const names = [...new Set(hits.map((h) => db.clients.find((c) => c.uid === h.client_uid).name))];
        const description =
          file.kind === 'push_certificate' ? `APNs push certificate, topic ${file.identity}` : file.kind === 'server_token' ? `ADE server token encrypted for ${file.recipient ? file.recipient.issuer : 'an MDM server'}` : `Apps and Books token for ${file.identity}`;
        return { kind: file.kind, description, clients: names, label: hits.length === 1 ? hits[0].label : null };
      },
      plan_import: ({ args }) => {
        const p = plan(args);
        return p.error ? fail(p.error.kind, p.error.message) : p.plan;
      },
      import_file: ({ args, confirmation }) => importFile(args, confirmation),
      remove_credential: ({ uid }) => {
        const cr = db.creds.find((c) => c.uid === uid);
        if (!cr) return fail('not_found', 'credential not found');
        db.creds = db.creds.filter((c) => c !== cr);
        log('credential_removed', db.clients.find((c) => c.uid === cr.client_uid)?.name, cr, 'credential removed', Date.now());
        return null;
      },
      update_credential: ({ uid, label, appleAccount }) => {
        const cr = db.creds.find((c) => c.uid === uid);
        if (!cr) return fail('not_found', 'credential not found');
        if (!String(label || '').trim()) return fail('invalid_input', 'a credential needs a label');
        cr.label = label.trim();
        cr.apple_account = appleAccount?.trim() || null;
        log('credential_updated', db.clients.find((c) => c.uid === cr.client_uid)?.name, cr, `label and Apple Account on record set (${cr.apple_account ?? 'no Apple Account'})`, Date.now());
        return null;
      },
      list_events: ({ query }) => {
        let list = db.events.slice().reverse();
        if (query.client) list = list.filter((e) => e.client && same(e.client, query.client));
        if (query.kinds?.length) list = list.filter((e) => query.kinds.includes(e.kind));
        return query.limit ? list.slice(0, query.limit) : list;
      },
      get_settings: () => ({ ...db.settings }),
      get_team: () => structuredClone(db.team),
      // The team's server as the shell follows it (src-tauri/src/connection.rs): away since
      // when, and when the copy shown was taken (config.connection).
      team_connection: () => ({
        database: db.team.shared ? db.team.database : null,
        away_since: db.connection?.away_since ?? null,
        shown_as_of: db.connection?.shown_as_of ?? null,
      }),
      set_settings: ({ thresholds }) => {
        if (thresholds.renewal_window_days > 365 || thresholds.grace_days > 365) return fail('invalid_input', 'the renewal window and the grace period must be 365 days or fewer');
        db.settings = { ...thresholds };
        log('settings_changed', null, null, `renewal window ${thresholds.renewal_window_days} days, grace period ${thresholds.grace_days} days`, Date.now());
        return { ...db.settings };
      },
      get_reminders: () => reminderSettings(),
      set_milestones: ({ milestones }) => {
        if (milestones.days_before.some((d) => d < 1 || d > 365)) return fail('invalid_input', 'reminder days must be between 1 and 365');
        db.milestones = { ...milestones };
        log('settings_changed', null, null, 'reminder milestones changed', Date.now());
        return reminderSettings();
      },
      snooze_reminders: ({ hours }) => {
        db.snoozedUntil = hours ? new Date(Date.now() + hours * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z') : null;
        return reminderSettings();
      },
      get_autostart: () => db.autostart,
      set_autostart: ({ enabled }) => (db.autostart = Boolean(enabled)),
      take_opened_files: () => db.openedFiles.splice(0),
      'plugin:event|listen': () => ++listeners,
      'plugin:event|unlisten': () => null,
      'plugin:dialog|open': () => (picks.length ? picks.shift() : null),
      'plugin:opener|open_url': () => null,
      'plugin:app|version': () => config.version ?? '0.1.0',
    };
    // Keys and checks with Apple (fake-apple.js), over the same store.
    Object.assign(commands, window.__tkFakeExtras?.({ db, config, fail, log, clientByName, iso, newUid }) ?? {});

    let listeners = 0;
    const held = [];
    window.__tkRelease = () => held.splice(0).forEach((release) => release(undefined));
    window.__tkHeld = () => held.length;
    db.milestones ??= { days_before: [30, 14, 7, 3, 1], grace_every_days: 7, grace_daily_last_days: 7 };
    db.snoozedUntil ??= null;
    db.autostart ??= false;
    db.openedFiles ??= [...(config.openedFiles || [])];
    function reminderSettings() {
      return { milestones: { ...db.milestones, days_before: [...db.milestones.days_before] }, snoozed_until: db.snoozedUntil };
    }

    // As the shell's warm-up while the window loads: the window's first request finds the index.
    dashboardIndex(true);
    times.seed = { at: began, ms: performance.now() - began };

    return function handler(cmd, args) {
      const t0 = performance.now();
      const timed = { cmd, at: t0, ms: 0 };
      times.calls.push(timed);
      calls.push({ cmd, args: args === undefined ? null : JSON.parse(JSON.stringify(args)) });
      const fn = commands[cmd];
      if (!fn) return fail('internal', `the fake backend has no command ${cmd}`);
      // While the team's server is away, the copy shown changes nothing.
      if (db.connection?.away_since && !READS.has(cmd) && !cmd.startsWith('plugin:')) {
        const at = (iso) => iso.replace('T', ' ').slice(0, 16) + ' UTC';
        return fail(
          'read_only',
          `the team's server ${db.team.database} has been unreachable since ${at(db.connection.away_since)}: TokenKeeper shows the last known state, copied ${at(db.connection.shown_as_of ?? db.connection.away_since)}, and changes nothing until the server is back (it reconnects by itself)`,
        );
      }
      // As the shell's change stamp: anything that may write drops the dashboard's index.
      if (!READS.has(cmd) && !cmd.startsWith('plugin:')) index = null;
      // A held command answers only once the test calls window.__tkRelease(): the screens shown
      // while the shell works (the wizard's "Checking…" step) can then be looked at.
      if ((config.hold || []).includes(cmd)) {
        return new Promise((ok) => held.push(ok)).then(() => fn(args || {}));
      }
      let answer;
      try {
        answer = Promise.resolve(fn(args || {}));
      } catch (e) {
        answer = fail('internal', String(e));
      }
      timed.ms = performance.now() - t0;
      // The dashboard's answers a task later (config.latency ms), as over the real shell's IPC,
      // instead of in the same task: what a scroll shows while the rows travel.
      if (config.latency != null && cmd === 'dashboard') {
        const late = answer;
        answer = new Promise((ok) => setTimeout(ok, config.latency)).then(() => late);
      }
      // Every answer, success or error, as the page received it: the tests look for secrets.
      const record = (ok, body) => {
        const t1 = performance.now();
        // The performance runs keep no copies (a heap of them would be the page's garbage).
        if (!config.bulk) answers.push({ cmd, ok, body: JSON.stringify(body ?? null) });
        timed.ms += performance.now() - t1;
      };
      return answer.then(
        (value) => {
          record(true, value);
          return value;
        },
        (error) => {
          record(false, error);
          throw error;
        },
      );
    };
  };
})();
