//! The schema, one migration per change, applied in order and never edited once released.
//! Timestamps are RFC 3339 UTC text (`2027-03-04T10:00:00Z`), so text order is time order.

/// Every migration; `PRAGMA user_version` counts how many were applied.
pub const MIGRATIONS: &[&str] = &[
    // 1: clients, credentials, versions, events, settings.
    r#"
    CREATE TABLE clients (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        portal      TEXT NOT NULL CHECK (portal IN ('business', 'school')),
        notes       TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE UNIQUE INDEX clients_by_name ON clients (name COLLATE NOCASE);

    CREATE TABLE credentials (
        id                INTEGER PRIMARY KEY,
        uid               TEXT NOT NULL UNIQUE,
        client_id         INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        kind              TEXT NOT NULL
                          CHECK (kind IN ('push_certificate', 'server_token', 'content_token')),
        label             TEXT NOT NULL,
        -- topic / consumer key (or recipient) / organisation name
        identity          TEXT NOT NULL,
        recipient_issuer  TEXT,
        recipient_serial  TEXT,
        expires_at        TEXT,
        apple_account     TEXT,
        error             TEXT,
        -- keychain accounts (service TokenKeeper), never the secrets themselves
        key_ref           TEXT,
        secret_ref        TEXT,
        secret_sha256     TEXT,
        file_sha256       TEXT NOT NULL,
        last_state        TEXT,
        revision          INTEGER NOT NULL DEFAULT 1,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
    );
    CREATE UNIQUE INDEX credentials_by_label ON credentials (client_id, kind, label COLLATE NOCASE);
    CREATE INDEX credentials_by_identity ON credentials (kind, identity);

    CREATE TABLE versions (
        id             INTEGER PRIMARY KEY,
        credential_id  INTEGER NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
        revision       INTEGER NOT NULL,
        file_name      TEXT,
        file_sha256    TEXT NOT NULL,
        identity       TEXT NOT NULL,
        expires_at     TEXT,
        apple_account  TEXT,
        -- public facts of the file (the inspect object); a push certificate's public DER
        details        TEXT NOT NULL,
        certificate    BLOB,
        imported_at    TEXT NOT NULL,
        UNIQUE (credential_id, revision)
    );

    CREATE TABLE events (
        id              INTEGER PRIMARY KEY,
        at              TEXT NOT NULL,
        kind            TEXT NOT NULL,
        client          TEXT,
        credential_uid  TEXT,
        label           TEXT,
        message         TEXT NOT NULL
    );
    CREATE INDEX events_by_time ON events (at);
    CREATE INDEX events_by_client ON events (client COLLATE NOCASE, at);
    CREATE TRIGGER events_are_append_only BEFORE UPDATE ON events
    BEGIN
        SELECT RAISE(ABORT, 'the event log is append-only');
    END;
    CREATE TRIGGER events_kept_90_days BEFORE DELETE ON events
    WHEN old.at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-90 days')
    BEGIN
        SELECT RAISE(ABORT, 'events are kept at least 90 days');
    END;

    CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    );
    "#,
    // 2: reminders already sent, so a restart never repeats one.
    r#"
    CREATE TABLE reminders_sent (
        credential_uid  TEXT NOT NULL,
        revision        INTEGER NOT NULL,
        milestone       TEXT NOT NULL,
        sent_at         TEXT NOT NULL,
        PRIMARY KEY (credential_uid, revision, milestone)
    );
    "#,
    // keys: private keys TokenKeeper made or was given that no credential uses yet (a push CSR's
    // key waiting for its certificate, a new ADE key pair waiting for a token encrypted to it, an
    // existing MDM's ADE key), and MDM vendor signing identities. The keys themselves live in the
    // keychain under `key_ref`; only public facts are here. A key that a credential takes is
    // moved to that credential's `key_ref` and its row deleted.
    r#"
    CREATE TABLE keys (
        id                 INTEGER PRIMARY KEY,
        uid                TEXT NOT NULL UNIQUE,
        client_id          INTEGER REFERENCES clients (id) ON DELETE CASCADE,
        purpose            TEXT NOT NULL CHECK (purpose IN ('push_csr', 'ade', 'vendor')),
        label              TEXT NOT NULL,
        -- keychain account of the private key (a vendor's: key and certificate chain as PEM)
        key_ref            TEXT NOT NULL,
        -- SHA-256 of the public key (DER SubjectPublicKeyInfo): matches a certificate to its key
        public_key_sha256  TEXT NOT NULL,
        -- the public files made with the key: the CSR, the ADE or vendor certificate (DER)
        request            BLOB,
        certificate        BLOB,
        -- issuer and serial of the ADE certificate: what a server token names as its recipient
        recipient_issuer   TEXT,
        recipient_serial   TEXT,
        subject            TEXT NOT NULL DEFAULT '',
        expires_at         TEXT,
        created_at         TEXT NOT NULL,
        CHECK ((purpose = 'vendor') = (client_id IS NULL))
    );
    CREATE INDEX keys_by_public_key ON keys (public_key_sha256);
    CREATE INDEX keys_by_recipient ON keys (recipient_issuer, recipient_serial);
    CREATE UNIQUE INDEX vendor_keys_by_label ON keys (label COLLATE NOCASE) WHERE purpose = 'vendor';
    "#,
    // apple checks: every read-only check at Apple, newest last. `details` holds what Apple
    // said (server name and UUID, organisation, admin_id, location name and uId, Apple's
    // expiry, mdmInfo, warnings) and never a secret. Settings keys used beside it:
    // `device_assignment_url`, `apps_and_books_url`, `check_timeout_seconds`,
    // `check_schedule` (`off` | `on`), `check_interval_hours`.
    r#"
    CREATE TABLE checks (
        id              INTEGER PRIMARY KEY,
        credential_uid  TEXT NOT NULL REFERENCES credentials (uid) ON DELETE CASCADE,
        service         TEXT NOT NULL CHECK (service IN ('device_assignment', 'apps_and_books')),
        checked_at      TEXT NOT NULL,
        outcome         TEXT NOT NULL CHECK (outcome IN ('ok', 'problem', 'could_not_check')),
        reason          TEXT,
        retry_after     TEXT,
        details         TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX checks_by_credential ON checks (credential_uid, checked_at);
    CREATE INDEX checks_by_service ON checks (service, retry_after);
    "#,
    // content fingerprints: SHA-256 of what a credential is, whatever its encoding (a push
    // certificate's DER, a content token's decoded JSON, a decrypted server token's values), so
    // the same credential in another encoding is recognised; NULL means "compare by file".
    // Push certificates on record get theirs from the certificate kept with each version.
    r#"
    ALTER TABLE credentials ADD COLUMN content_sha256 TEXT;
    ALTER TABLE versions ADD COLUMN content_sha256 TEXT;
    UPDATE versions SET content_sha256 = tk_sha256_hex(certificate)
    WHERE certificate IS NOT NULL
      AND credential_id IN (SELECT id FROM credentials WHERE kind = 'push_certificate');
    UPDATE credentials SET content_sha256 = (
        SELECT v.content_sha256 FROM versions v
        WHERE v.credential_id = credentials.id AND v.revision = credentials.revision
    )
    WHERE kind = 'push_certificate';
    "#,
    // 6: the keychain journal (see STAGED_SECRETS).
    STAGED_SECRETS,
    // 7: alerts in the team's channels (issue 19). A client's own warning threshold (NULL: the
    // vault's) and contact address. A channel's public settings are JSON in `settings`; its
    // secret (SMTP password, webhook URL, signing key) lives in the keychain under `secret_ref`.
    // `alerts` is what makes an alert once-only: one row per (credential, revision, milestone),
    // written in the transaction that queues the messages of every channel in `outbox`.
    // An outbox row is delivered by whoever claims it (`claimed_until`: a lease, so the app and
    // `watch` on one database never send it twice at once).
    r#"
    ALTER TABLE clients ADD COLUMN warn_days INTEGER
        CHECK (warn_days IS NULL OR warn_days IN (30, 45, 60, 90));
    ALTER TABLE clients ADD COLUMN contact_email TEXT;

    CREATE TABLE channels (
        id               INTEGER PRIMARY KEY,
        uid              TEXT NOT NULL UNIQUE,
        name             TEXT NOT NULL,
        kind             TEXT NOT NULL CHECK (kind IN ('email', 'teams', 'slack', 'webhook')),
        settings         TEXT NOT NULL DEFAULT '{}',
        secret_ref       TEXT NOT NULL,
        all_clients      INTEGER NOT NULL DEFAULT 1 CHECK (all_clients IN (0, 1)),
        last_success_at  TEXT,
        last_failure_at  TEXT,
        last_error       TEXT,
        failures         INTEGER NOT NULL DEFAULT 0,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
    );
    CREATE UNIQUE INDEX channels_by_name ON channels (name COLLATE NOCASE);

    CREATE TABLE channel_clients (
        channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        client_id   INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        PRIMARY KEY (channel_id, client_id)
    ) WITHOUT ROWID;

    CREATE TABLE alerts (
        credential_uid  TEXT NOT NULL,
        revision        INTEGER NOT NULL,
        milestone       TEXT NOT NULL,
        queued_at       TEXT NOT NULL,
        PRIMARY KEY (credential_uid, revision, milestone)
    ) WITHOUT ROWID;

    -- Each due alert's facts, written once per pass whatever the number of channels, in the
    -- order messages list them: a pass's items are one contiguous range of ids. The item's
    -- words (crate::alerts::AlertItem) are made from them when a message is claimed. No secret.
    CREATE TABLE alert_items (
        id              INTEGER PRIMARY KEY,
        client_id       INTEGER NOT NULL,
        credential_uid  TEXT NOT NULL,
        client          TEXT NOT NULL,
        portal          TEXT NOT NULL,
        kind            TEXT NOT NULL,
        label           TEXT NOT NULL,
        identity        TEXT NOT NULL,
        apple_account   TEXT,
        expires_at      TEXT,
        milestone       TEXT NOT NULL,
        state           TEXT NOT NULL,
        days_left       INTEGER,
        reason          TEXT,
        window_days     INTEGER NOT NULL,
        grace_days      INTEGER NOT NULL
    );

    CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY,
        uid              TEXT NOT NULL UNIQUE,
        channel_id       INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        -- extra recipients of an e-mail (a client's contact address), JSON array
        extra_to         TEXT NOT NULL DEFAULT '[]',
        -- the message's header (crate::alerts::AlertMessage as JSON, `alerts` empty): no
        -- secret; its items are alert_items first_item..=last_item of the clients in
        -- `clients` (a JSON array of client ids; NULL: every client)
        body             TEXT NOT NULL,
        first_item       INTEGER NOT NULL DEFAULT 0,
        last_item        INTEGER NOT NULL DEFAULT -1,
        clients          TEXT,
        alerts           INTEGER NOT NULL,
        queued_at        TEXT NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  TEXT NOT NULL,
        claimed_until    TEXT,
        last_error       TEXT,
        delivered_at     TEXT
    );
    CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
    "#,
    // 8: MDM connections (issue 20): a client's read-only connection to its MDM console, its API
    // secret in the keychain under `secret_ref`, the last sync's outcome; and what each
    // connection held at its last successful sync (public facts only, `facts` is the core's
    // `mdm::Held` as JSON), replaced whole on each successful sync.
    r#"
    CREATE TABLE mdm_connections (
        id               INTEGER PRIMARY KEY,
        uid              TEXT NOT NULL UNIQUE,
        client_id        INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
        name             TEXT NOT NULL,
        vendor           TEXT NOT NULL,
        url              TEXT NOT NULL,
        tenant           TEXT,
        oauth_client_id  TEXT,
        ca_pem           TEXT,
        secret_ref       TEXT NOT NULL,
        created_at       TEXT NOT NULL,
        synced_at        TEXT,
        attempted_at     TEXT,
        last_error       TEXT
    );
    CREATE UNIQUE INDEX mdm_connections_by_name ON mdm_connections (name COLLATE NOCASE);
    CREATE TABLE mdm_items (
        id             INTEGER PRIMARY KEY,
        connection_id  INTEGER NOT NULL REFERENCES mdm_connections (id) ON DELETE CASCADE,
        kind           TEXT NOT NULL
                       CHECK (kind IN ('push_certificate', 'server_token', 'content_token')),
        facts          TEXT NOT NULL
    );
    CREATE INDEX mdm_items_by_connection ON mdm_items (connection_id);
    "#,
    // 9: what an import and the keychain journal look up, indexed, so that checking one file
    // or one keychain item reads a handful of rows, not a vault of 100,000 (issue 21).
    r#"
    CREATE INDEX credentials_by_file ON credentials (file_sha256);
    CREATE INDEX credentials_by_content ON credentials (content_sha256);
    CREATE INDEX credentials_by_recipient ON credentials (recipient_issuer, recipient_serial);
    CREATE INDEX credentials_by_key_ref ON credentials (key_ref);
    CREATE INDEX credentials_by_secret_ref ON credentials (secret_ref);
    "#,
    // 10: expiries indexed, so that a scheduler pass reads the credentials near a milestone
    // and those in Error, not the whole vault (issue 21). The indexes hold every column the
    // pass reads: reading each row from the table instead was a page read per row, most of
    // the pass.
    r#"
    CREATE INDEX credentials_by_expiry
        ON credentials (expires_at, client_id, revision, uid, error);
    CREATE INDEX credentials_in_error
        ON credentials (expires_at, client_id, revision, uid, error) WHERE error IS NOT NULL;
    "#,
    // 11: a team (issue 18). Its members, each with the public half of an age X25519 key pair
    // (the private half stays in that member's OS keychain), and the secrets the team shares,
    // stored only encrypted to every current member. A removed member's row stays, dated.
    r#"
    CREATE TABLE team_members (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        recipient   TEXT NOT NULL UNIQUE,
        added_at    TEXT NOT NULL,
        added_by    TEXT,
        removed_at  TEXT,
        removed_by  TEXT
    );
    CREATE UNIQUE INDEX team_members_by_name
        ON team_members (name COLLATE NOCASE) WHERE removed_at IS NULL;
    CREATE TABLE team_secrets (
        account     TEXT PRIMARY KEY,
        ciphertext  BLOB NOT NULL,
        written_at  TEXT NOT NULL,
        written_by  TEXT
    );
    "#,
    // 12: who made each change, for a team (issue 18): the member's name; NULL on one
    // technician's own vault and for everything before.
    r#"
    ALTER TABLE events ADD COLUMN actor TEXT;
    "#,
];

/// SQL functions the migrations use, registered on every connection before migrating:
/// `tk_sha256_hex(blob)` is the lowercase hex SHA-256 of a blob (NULL for NULL).
pub(super) fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "tk_sha256_hex",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let bytes: Option<Vec<u8>> = ctx.get(0)?;
            Ok(bytes.map(|b| crate::token::sha256_hex(&b)))
        },
    )
}

/// Migration 6, the keychain journal. A secret is recorded here before it is written to the keychain,
/// and the row goes when a committed record references it; `retired` rows are secrets no
/// record references any more, to be deleted from the keychain. A crash at any point leaves
/// a row, so the sweep finds every keychain item no record references (keychains cannot be
/// listed portably). `IF NOT EXISTS`: a restore adds it to an older backup's database.
pub(crate) const STAGED_SECRETS: &str = r#"
    CREATE TABLE IF NOT EXISTS staged_secrets (
        account    TEXT PRIMARY KEY,
        staged_at  TEXT NOT NULL,
        retired    INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
    );
    "#;
