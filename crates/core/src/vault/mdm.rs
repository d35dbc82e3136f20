//! MDM connections, kept: adding one (its API secret to the keychain, never to the database),
//! listing and removing them, handing their settings and secrets to the connectors, recording
//! each sync (what the console held, replaced whole, or why it could not be read: nothing
//! stored changes then) in the audit log, and when the next scheduled sync is due.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, params};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::limits::{self, Field};
use super::{EventKind, Vault, events, new_uid, parse_ts, staging, ts};
use crate::error::{Error, Result};
use crate::mdm::{Held, Vendor};
use crate::token::Kind;

mod listing;
#[cfg(test)]
mod tests;

/// A connection as the user fills it in (the form, the command line). The secret travels
/// apart from it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmForm {
    /// A unique name ("Acme Intune").
    pub name: String,
    /// The client it belongs to.
    pub client: String,
    /// The vendor's id (`intune`, `jamf`, ...).
    pub vendor: String,
    /// The console's base URL; empty for the vendor's default.
    pub url: String,
    /// Intune's tenant id, JumpCloud's organisation id.
    pub tenant: String,
    /// Intune's and Jamf's OAuth client id.
    pub client_id: String,
    /// A CA certificate (PEM) for a console on a private CA; empty for the system's.
    pub ca_pem: String,
}

/// A connection's settings, checked: what the connectors use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdmSettings {
    /// Its name.
    pub name: String,
    /// Its client's name, as typed.
    pub client: String,
    /// Which MDM.
    pub vendor: Vendor,
    /// Base URL, checked, without a trailing slash.
    pub url: String,
    /// Tenant or organisation id.
    pub tenant: Option<String>,
    /// OAuth client id.
    pub client_id: Option<String>,
    /// CA certificate (PEM).
    pub ca_pem: Option<String>,
}

fn given(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl MdmForm {
    /// Checks the form: a name, a known vendor, an `https://` address (the vendor's default
    /// when there is one), the ids the vendor needs, a CA that is a PEM certificate.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] saying what to fix.
    pub fn check(&self) -> Result<MdmSettings> {
        let invalid = |message: String| Error::InvalidInput { message };
        let name = self.name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(invalid("an MDM connection needs a name".to_owned()));
        }
        limits::check(Field::ClientName, name)?;
        let vendor = Vendor::parse(&self.vendor)?;
        let url = match (given(&self.url), vendor.default_url()) {
            (Some(url), _) => url,
            (None, Some(url)) => url.to_owned(),
            (None, None) => {
                return Err(invalid(format!(
                    "{} needs its address (the URL of the console, such as https://acme.example.com)",
                    vendor.name()
                )));
            }
        };
        let url = crate::apple::checked_url(
            &url,
            "an MDM's address",
            "https://acme.jamfcloud.com",
            "the API secret travels with every call, so use https",
        )?;
        let tenant = given(&self.tenant);
        if vendor.needs_tenant() && tenant.is_none() {
            return Err(invalid(format!(
                "{} needs the tenant (directory) id",
                vendor.name()
            )));
        }
        let client_id = given(&self.client_id);
        if vendor.needs_client_id() && client_id.is_none() {
            return Err(invalid(format!(
                "{} needs the API client's id",
                vendor.name()
            )));
        }
        for (what, v) in [("tenant id", &tenant), ("client id", &client_id)] {
            if v.as_deref().is_some_and(|v| {
                v.len() > 200 || v.chars().any(|c| c.is_control() || c.is_whitespace())
            }) {
                return Err(invalid(format!(
                    "the {what} must be one word of at most 200 characters"
                )));
            }
        }
        let ca_pem = given(&self.ca_pem);
        if let Some(pem) = &ca_pem {
            if pem.len() > 64 * 1024
                || openssl::x509::X509::stack_from_pem(pem.as_bytes())
                    .map_or(true, |s| s.is_empty())
            {
                return Err(invalid(
                    "the CA file is not a PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned(),
                ));
            }
        }
        Ok(MdmSettings {
            name: name.to_owned(),
            client: self.client.trim().to_owned(),
            vendor,
            url,
            tenant,
            client_id,
            ca_pem,
        })
    }
}

/// A connection on record, as listed. No secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmConnection {
    /// Stable id.
    pub uid: String,
    /// Its name.
    pub name: String,
    /// Its client.
    pub client: String,
    /// Which MDM.
    pub vendor: Vendor,
    /// Base URL.
    pub url: String,
    /// Tenant or organisation id.
    pub tenant: Option<String>,
    /// OAuth client id (not a secret).
    pub client_id: Option<String>,
    /// Whether it trusts a CA of its own.
    pub own_ca: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// The last successful sync.
    pub synced_at: Option<DateTime<Utc>>,
    /// The last attempt, successful or not.
    pub attempted_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (`None` when it succeeded).
    pub last_error: Option<String>,
    /// How many credentials it held at the last successful sync.
    pub held: u32,
}

/// What a connector needs for one connection: its settings and its secret (redacted in
/// `Debug`, never serialized).
#[derive(Debug, Clone)]
pub struct MdmAccess {
    /// The connection's uid, to record the result.
    pub uid: String,
    /// Its settings.
    pub settings: MdmSettings,
    /// Its API secret; `None` when it is missing from the keychain.
    pub secret: Option<SecretString>,
}

/// One connection's sync (or test), as reported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmSyncReport {
    /// The connection's name.
    pub connection: String,
    /// Its MDM.
    pub vendor: Vendor,
    /// Whether it was read.
    pub ok: bool,
    /// Push certificates it holds.
    pub push_certificates: u32,
    /// ADE server tokens it holds.
    pub server_tokens: u32,
    /// Apps and Books tokens it holds.
    pub content_tokens: u32,
    /// Why it could not be read.
    pub error: Option<String>,
}

impl MdmSyncReport {
    /// The report of reading `held` from `connection` (or failing with `error`).
    pub fn new(
        connection: &str,
        vendor: Vendor,
        outcome: &std::result::Result<Vec<Held>, String>,
    ) -> Self {
        let count = |k: Kind| match outcome {
            Ok(held) => {
                u32::try_from(held.iter().filter(|h| h.kind == k).count()).unwrap_or(u32::MAX)
            }
            Err(_) => 0,
        };
        Self {
            connection: connection.to_owned(),
            vendor,
            ok: outcome.is_ok(),
            push_certificates: count(Kind::PushCertificate),
            server_tokens: count(Kind::ServerToken),
            content_tokens: count(Kind::ContentToken),
            error: outcome.as_ref().err().cloned(),
        }
    }

    /// "1 push certificate, 2 ADE tokens, 0 Apps and Books tokens".
    pub fn summary(&self) -> String {
        format!(
            "{} push certificate(s), {} ADE token(s), {} Apps and Books token(s)",
            self.push_certificates, self.server_tokens, self.content_tokens
        )
    }
}

/// Hours between two scheduled syncs of a connection when the user chose no interval.
const DEFAULT_SYNC_HOURS: i64 = 24;

fn not_found(name: &str) -> Error {
    Error::NotFound {
        what: format!("MDM connection \"{name}\""),
        hint: ": `tokenkeeper mdm list` shows the connections".to_owned(),
    }
}

const SELECT: &str = "SELECT m.uid, m.name, c.name, m.vendor, m.url, m.tenant, m.oauth_client_id,
        m.ca_pem IS NOT NULL, m.created_at, m.synced_at, m.attempted_at, m.last_error,
        (SELECT COUNT(*) FROM mdm_items i WHERE i.connection_id = m.id)
     FROM mdm_connections m JOIN clients c ON c.id = m.client_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MdmConnection> {
    let time = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get_ref(i)?.as_str_or_null()?.and_then(parse_ts))
    };
    Ok(MdmConnection {
        uid: r.get(0)?,
        name: r.get(1)?,
        client: r.get(2)?,
        vendor: Vendor::parse(r.get_ref(3)?.as_str()?).unwrap_or(Vendor::Intune),
        url: r.get(4)?,
        tenant: r.get(5)?,
        client_id: r.get(6)?,
        own_ca: r.get(7)?,
        created_at: time(8)?.unwrap_or_default(),
        synced_at: time(9)?,
        attempted_at: time(10)?,
        last_error: r.get(11)?,
        held: r.get(12)?,
    })
}

impl Vault {
    /// Adds a connection to a client's MDM: the form checked, the secret in the keychain.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] (the form, an empty secret), [`Error::NotFound`] for the
    /// client, [`Error::AlreadyExists`] for a name in use, [`Error::KeychainUnavailable`].
    pub fn add_mdm_connection(
        &mut self,
        form: &MdmForm,
        secret: &[u8],
        now: DateTime<Utc>,
    ) -> Result<MdmConnection> {
        let s = form.check()?;
        if secret.iter().all(u8::is_ascii_whitespace) || secret.len() > 16 * 1024 {
            return Err(Error::InvalidInput {
                message: format!("the {} is empty or far too long", s.vendor.secret_name()),
            });
        }
        let client = self.client(&s.client)?;
        let uid = new_uid();
        let account = staging::attempt_account(&uid, "mdm-secret", 1);
        self.stage_secret(&account, secret, now)?;
        let written = self.db.write(|tx| {
            let inserted = tx.execute(
                "INSERT INTO mdm_connections (uid, client_id, name, vendor, url, tenant,
                     oauth_client_id, ca_pem, secret_ref, created_at)
                 SELECT ?1, c.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM clients c WHERE c.uid = ?10
                 AND NOT EXISTS (SELECT 1 FROM mdm_connections WHERE name = ?2 COLLATE NOCASE)",
                params![
                    uid,
                    s.name,
                    s.vendor.id(),
                    s.url,
                    s.tenant,
                    s.client_id,
                    s.ca_pem,
                    account,
                    ts(now),
                    client.uid
                ],
            )?;
            if inserted == 0 {
                return Err(Error::AlreadyExists {
                    what: format!("an MDM connection named \"{}\"", s.name),
                });
            }
            staging::claim(tx, &[&account])?;
            events::append(
                tx,
                now,
                EventKind::MdmConnected,
                Some(&client.name),
                None,
                &format!(
                    "MDM connection \"{}\" added ({}, {})",
                    s.name,
                    s.vendor.name(),
                    s.url
                ),
            )
        });
        if let Err(e) = written {
            self.forget_secrets(&[account]);
            return Err(e);
        }
        self.mdm_connection(&s.name)
    }

    /// One connection by name (case-insensitive).
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn mdm_connection(&self, name: &str) -> Result<MdmConnection> {
        self.db
            .conn()
            .query_row(
                &format!("{SELECT} WHERE m.name = ?1 COLLATE NOCASE"),
                [name.trim()],
                row,
            )
            .optional()?
            .ok_or_else(|| not_found(name))
    }

    /// Every connection, by client then name.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn mdm_connections(&self) -> Result<Vec<MdmConnection>> {
        let mut stmt = self.db.conn().prepare_cached(&format!(
            "{SELECT} ORDER BY c.name COLLATE NOCASE, m.name COLLATE NOCASE"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Removes a connection, what it held and its secret. The audit log keeps its history.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn remove_mdm_connection(&mut self, name: &str, now: DateTime<Utc>) -> Result<()> {
        let c = self.mdm_connection(name)?;
        let account: String = self.db.conn().query_row(
            "SELECT secret_ref FROM mdm_connections WHERE uid = ?1",
            [&c.uid],
            |r| r.get(0),
        )?;
        let accounts = vec![account];
        self.db.write(|tx| {
            tx.execute("DELETE FROM mdm_connections WHERE uid = ?1", [&c.uid])?;
            staging::retire(tx, &accounts, now)?;
            events::append(
                tx,
                now,
                EventKind::MdmRemoved,
                Some(&c.client),
                None,
                &format!(
                    "MDM connection \"{}\" removed ({})",
                    c.name,
                    c.vendor.name()
                ),
            )
        })?;
        self.forget_secrets(&accounts);
        Ok(())
    }

    /// The settings and secrets of the connections to read: the one named, or all.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown name; [`Error::KeychainUnavailable`];
    /// [`Error::Database`].
    pub fn mdm_access(&self, name: Option<&str>) -> Result<Vec<MdmAccess>> {
        let mut stmt = self.db.conn().prepare(
            "SELECT m.uid, m.name, c.name, m.vendor, m.url, m.tenant, m.oauth_client_id, m.ca_pem,
                    m.secret_ref
             FROM mdm_connections m JOIN clients c ON c.id = m.client_id
             WHERE ?1 IS NULL OR m.name = ?1 COLLATE NOCASE
             ORDER BY m.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([name.map(str::trim)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                MdmSettings {
                    name: r.get(1)?,
                    client: r.get(2)?,
                    vendor: Vendor::parse(r.get_ref(3)?.as_str()?).unwrap_or(Vendor::Intune),
                    url: r.get(4)?,
                    tenant: r.get(5)?,
                    client_id: r.get(6)?,
                    ca_pem: r.get(7)?,
                },
                r.get::<_, String>(8)?,
            ))
        })?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        if rows.is_empty() {
            if let Some(name) = name {
                return Err(not_found(name));
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for (uid, settings, account) in rows {
            let secret = self
                .secrets
                .get(&account)?
                .and_then(|s| String::from_utf8(s.to_vec()).ok())
                .map(|s| SecretString::from(s.trim().to_owned()));
            out.push(MdmAccess {
                uid,
                settings,
                secret,
            });
        }
        Ok(out)
    }

    /// Records the syncs of `outcomes` (by connection uid): what a connection held replaces
    /// what it held before; a failure changes nothing but the connection's last attempt and
    /// error. Each is an event; state changes the new facts cause are recorded too.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn record_mdm_syncs(
        &mut self,
        outcomes: Vec<(String, std::result::Result<Vec<Held>, String>)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MdmSyncReport>> {
        let mut reports = Vec::with_capacity(outcomes.len());
        for (uid, outcome) in outcomes {
            let found: Option<(i64, String, String, String)> = self
                .db
                .conn()
                .query_row(
                    "SELECT m.id, m.name, m.vendor, c.name FROM mdm_connections m
                     JOIN clients c ON c.id = m.client_id WHERE m.uid = ?1",
                    [&uid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            // Removed while it was being read: nothing to record.
            let Some((id, name, vendor, client)) = found else {
                continue;
            };
            let vendor = Vendor::parse(&vendor).unwrap_or(Vendor::Intune);
            let report = MdmSyncReport::new(&name, vendor, &outcome);
            self.db.write(|tx| match &outcome {
                Ok(held) => {
                    tx.execute("DELETE FROM mdm_items WHERE connection_id = ?1", [id])?;
                    let mut insert = tx.prepare_cached(
                        "INSERT INTO mdm_items (connection_id, kind, facts) VALUES (?1, ?2, ?3)",
                    )?;
                    for h in held {
                        let facts = serde_json::to_string(h).map_err(|e| Error::Database {
                            detail: format!("MDM facts: {e}"),
                        })?;
                        insert.execute(params![id, h.kind.id(), facts])?;
                    }
                    tx.execute(
                        "UPDATE mdm_connections SET synced_at = ?1, attempted_at = ?1,
                             last_error = NULL WHERE id = ?2",
                        params![ts(now), id],
                    )?;
                    events::append(
                        tx,
                        now,
                        EventKind::MdmSynced,
                        Some(&client),
                        None,
                        &format!("{} ({}) read: {}", name, vendor.name(), report.summary()),
                    )
                }
                Err(why) => {
                    tx.execute(
                        "UPDATE mdm_connections SET attempted_at = ?1, last_error = ?2
                             WHERE id = ?3",
                        params![ts(now), why, id],
                    )?;
                    events::append(
                        tx,
                        now,
                        EventKind::MdmSyncFailed,
                        Some(&client),
                        None,
                        &format!("{} ({}) could not be read: {why}", name, vendor.name()),
                    )
                }
            })?;
            reports.push(report);
        }
        if !reports.is_empty() {
            self.record_state_changes(now)?;
        }
        Ok(reports)
    }

    /// Hours between two scheduled syncs of a connection: the scheduled checks' interval.
    fn mdm_interval(&self) -> Result<Duration> {
        let hours = self
            .setting("check_interval_hours")?
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|h| *h > 0)
            .unwrap_or(DEFAULT_SYNC_HOURS);
        Ok(Duration::hours(hours))
    }

    /// The names of the connections due for a scheduled sync at `now` (never tried, or last
    /// tried an interval ago). Adding a connection is the user's opt-in.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn mdm_syncs_due(&self, now: DateTime<Utc>) -> Result<Vec<String>> {
        let interval = self.mdm_interval()?;
        Ok(self
            .mdm_connections()?
            .into_iter()
            .filter(|c| c.attempted_at.is_none_or(|t| t + interval <= now))
            .map(|c| c.name)
            .collect())
    }

    /// When the next scheduled sync is due (`None` without connections).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn next_mdm_sync(&self) -> Result<Option<DateTime<Utc>>> {
        let interval = self.mdm_interval()?;
        let connections = self.mdm_connections()?;
        Ok(connections
            .iter()
            .map(|c| c.attempted_at.map_or(c.created_at, |t| t + interval))
            .min())
    }
}
