// The fake shell's generated data for the performance runs (config.bulk: the 10,000-row flow and
// npm run bench:ui at 100,000): loaded before fake-backend.js, which calls it with its store.
/* global window */
(function () {
  // N generated credentials for the performance runs, four per client as an MSP's clients have
  // them (a push certificate, an ADE token, an Apps and Books token, and a second ADE token or
  // a second location), in every state: made in one pass without the event log (100,000 in
  // about 0.4 s, the index half a second more). Deterministic: the same N gives the same data.
  window.__tkFakeBulk = function (n, { now, iso, addClient, newUid, creds }) {
    const DAY = 86_400_000;
    let seed = 0x2545f491;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = (list) => list[Math.floor(rand() * list.length)];
    const hex = (len) => {
      let h = '';
      while (h.length < len) h += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
      return h.slice(0, len);
    };
    const NAMES = ['Acme', 'Beacon', 'Cedar', 'Delta', 'Evergreen', 'Fairview', 'Granite', 'Harbor', 'Ironwood', 'Juniper', 'Keystone', 'Lakeside', 'Meridian', 'Northwind', 'Oakridge', 'Pinnacle', 'Quarry', 'Redwood', 'Summit', 'Trident', 'Union', 'Valley', 'Westbrook', 'Yardley', 'Zenith', 'Alder', 'Bramble', 'Coastal', 'Driftwood', 'Elmstead', 'Foxglove', 'Greystone', 'Highgate', 'Ivybridge', 'Kingsway', 'Larkspur', 'Millbrook', 'Newport', 'Orchard', 'Parkside', 'Riverside', 'Silverline', 'Thornbury', 'Upland', 'Vantage', 'Willow', 'Brightwater', 'Stonebridge', 'Clearview', 'Maple'];
    const TRADES = ['Dental', 'Legal', 'School', 'Clinic', 'Logistics', 'Accounting', 'Architects', 'Veterinary', 'Pharmacy', 'Academy', 'Builders', 'Consulting', 'Engineering', 'Foods', 'Health', 'Hotels', 'Insurance', 'Marketing', 'Motors', 'Opticians', 'Physio', 'Property', 'Retail', 'Surveyors', 'Travel'];
    // A town after the name from the 1,251st client on: 25,000 names, all different (and a
    // number after them past that).
    const TOWNS = ['Leeds', 'York', 'Bristol', 'Cardiff', 'Dundee', 'Exeter', 'Glasgow', 'Hull', 'Kendal', 'Lincoln', 'Norwich', 'Oxford', 'Perth', 'Reading', 'Salford', 'Truro', 'Wells', 'Bath', 'Derby'];
    const PLACES = ['Main office', 'Warehouse', 'North campus', 'South campus', 'High Street', 'Head office', 'Depot', 'Annex'];
    const MDMS = ['Jamf Pro', 'Intune', 'Kandji', 'Mosyle', 'SimpleMDM', 'Fleet'];
    const ERRORS = [
      'this token was revoked in Apple Business Manager',
      'Apple refused the token (HTTP 401): it was replaced by a newer download',
      'the MDM server this token belongs to was deleted in Apple Business Manager',
      'Apple did not answer: the last check timed out',
    ];
    const days = new Map();
    const when = (d) => {
      let v = days.get(d);
      if (v === undefined) days.set(d, (v = iso(now + d * DAY)));
      return v;
    };
    // Mostly Active, as a real fleet: a few inside the renewal window, some expired or lapsed,
    // a few in error or with no expiry known.
    const spread = () => {
      const r = rand();
      if (r < 0.8) return { days: 31 + Math.floor(rand() * 335) };
      if (r < 0.88) return { days: Math.floor(rand() * 31) };
      if (r < 0.93) return { days: -1 - Math.floor(rand() * 30) };
      if (r < 0.97) return { days: -31 - Math.floor(rand() * 400) };
      if (r < 0.985) return { days: null };
      return { days: Math.floor(rand() * 365) - 30, error: pick(ERRORS) };
    };
    let client = null;
    let domain = '';
    let org = '';
    for (let i = 0; i < n; i++) {
      const c = Math.floor(i / 4);
      const k = i % 4;
      if (k === 0) {
        const name = `${NAMES[c % 50]} ${TRADES[Math.floor(c / 50) % 25]}${c >= 1250 ? ` ${TOWNS[(Math.floor(c / 1250) - 1) % 19]}` : ''}${c >= 25_000 ? ` ${Math.floor(c / 25_000) + 1}` : ''}`;
        client = addClient(name, TRADES[Math.floor(c / 50) % 25] === 'School' || TRADES[Math.floor(c / 50) % 25] === 'Academy' ? 'school' : 'business');
        domain = name.toLowerCase().replace(/[^a-z]+/g, '-');
        org = `${name} Ltd`;
      }
      // The fourth: a second MDM server for one client in three, else a second location.
      const kind = k === 0 ? 'push_certificate' : k === 1 || (k === 3 && c % 3 === 0) ? 'server_token' : 'content_token';
      const place = PLACES[(c + k) % PLACES.length];
      const label = kind === 'push_certificate' ? 'APNs certificate' : kind === 'server_token' ? (k === 1 ? `${MDMS[c % MDMS.length]} server` : `${MDMS[(c + 1) % MDMS.length]} server`) : place;
      const identity =
        kind === 'push_certificate' ? `com.apple.mgmt.External.${hex(8)}-${hex(4)}-4${hex(3)}-9${hex(3)}-${hex(12)}` : kind === 'server_token' ? `CK_${hex(16)}` : `${org} ${place}`;
      const s = spread();
      const expires_at = s.days == null ? null : when(s.days);
      const apple_account = rand() < 0.1 ? null : `${pick(['it', 'admin', 'apple', 'mdm'])}@${domain}.example`;
      const uid = newUid();
      creds.push({
        uid,
        client_uid: client.uid,
        kind,
        label,
        identity,
        expires_at,
        apple_account,
        error: s.error ?? null,
        key_held: kind === 'push_certificate' && rand() < 0.5,
        recipient: null,
        sha: `bulk-${uid}`,
        versions: [{ revision: 1, file_name: null, file_sha256: `${'ab'.repeat(31)}01`, identity, expires_at, apple_account, imported_at: when(-20) }],
      });
    }
  };
})();
