//! MDM connections, kept: adding one (its API secret to the keychain, never to the database),
//! listing and removing them, handing their settings and secrets to the connectors, recording
//! each sync (what the console held, replaced whole, or why it could not be read: nothing
//! stored changes then) in the audit log, and when the next scheduled sync is due.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Duration, Utc};
use secrecy::SecretString;

use super::{EventKind, Vault, events, new_uid, parse_ts, staging, ts};
use crate::error::{Error, Result};
use crate::mdm::{Held, Vendor};

mod listing;
#[cfg(test)]
mod tests;

mod model;
pub use model::{MdmAccess, MdmConnection, MdmForm, MdmSettings, MdmSyncReport};

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

fn row(r: &crate::db::Row<'_>) -> crate::db::SqlResult<MdmConnection> {
    let time = |i: usize| -> crate::db::SqlResult<Option<DateTime<Utc>>> {
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
                args![
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
            .sql()
            .query_row(
                &format!("{SELECT} WHERE m.name = ?1 COLLATE NOCASE"),
                args![name.trim()],
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
        let mut stmt = self.db.sql().prepare(&format!(
            "{SELECT} ORDER BY c.name COLLATE NOCASE, m.name COLLATE NOCASE"
        ))?;
        let rows = stmt.query_map(args![], row)?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// Removes a connection, what it held and its secret. The audit log keeps its history.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn remove_mdm_connection(&mut self, name: &str, now: DateTime<Utc>) -> Result<()> {
        let c = self.mdm_connection(name)?;
        let account: String = self.db.sql().query_row(
            "SELECT secret_ref FROM mdm_connections WHERE uid = ?1",
            args![&c.uid],
            |r| r.get(0),
        )?;
        let accounts = vec![account];
        self.db.write(|tx| {
            tx.execute("DELETE FROM mdm_connections WHERE uid = ?1", args![&c.uid])?;
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
        let mut stmt = self.db.sql().prepare(
            "SELECT m.uid, m.name, c.name, m.vendor, m.url, m.tenant, m.oauth_client_id, m.ca_pem,
                    m.secret_ref
             FROM mdm_connections m JOIN clients c ON c.id = m.client_id
             WHERE CAST(?1 AS TEXT) IS NULL OR m.name = ?1 COLLATE NOCASE
             ORDER BY m.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map(args![name.map(str::trim)], |r| {
            Ok((
                r.get::<String>(0)?,
                MdmSettings {
                    name: r.get(1)?,
                    client: r.get(2)?,
                    vendor: Vendor::parse(r.get_ref(3)?.as_str()?).unwrap_or(Vendor::Intune),
                    url: r.get(4)?,
                    tenant: r.get(5)?,
                    client_id: r.get(6)?,
                    ca_pem: r.get(7)?,
                },
                r.get::<String>(8)?,
            ))
        })?;
        let rows = rows.collect::<crate::db::SqlResult<Vec<_>>>()?;
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
                .sql()
                .query_row(
                    "SELECT m.id, m.name, m.vendor, c.name FROM mdm_connections m
                     JOIN clients c ON c.id = m.client_id WHERE m.uid = ?1",
                    args![&uid],
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
                    tx.execute("DELETE FROM mdm_items WHERE connection_id = ?1", args![id])?;
                    let mut insert = tx.prepare(
                        "INSERT INTO mdm_items (connection_id, kind, facts) VALUES (?1, ?2, ?3)",
                    )?;
                    for h in held {
                        let facts = serde_json::to_string(h).map_err(|e| Error::Database {
                            detail: format!("MDM facts: {e}"),
                        })?;
                        insert.execute(args![id, h.kind.id(), facts])?;
                    }
                    tx.execute(
                        "UPDATE mdm_connections SET synced_at = ?1, attempted_at = ?1,
                             last_error = NULL WHERE id = ?2",
                        args![ts(now), id],
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
                        args![ts(now), why, id],
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
            self.report_and_record(now)?;
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
