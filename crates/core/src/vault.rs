//! The vault: TokenKeeper's memory. Orchestrates the database (clients, credentials, versions,
//! the audit log) and the secret store (keys, OAuth values, content tokens). No parsing of its
//! own: files are read by [`crate::token`], renewals decided by [`crate::renewal`].

mod backup;
mod channels;
mod checks;
mod client_alerts;
mod dashboard;
mod detail;
mod events;
mod import;
mod keys;
mod limits;
mod listing;
mod local_copy;
mod lookup;
mod mdm;
mod notify;
mod outbox;
mod reach;
mod removal;
#[cfg(test)]
mod sample;
mod schedule;
mod settings;
mod staging;
mod stamps;
mod states;
mod stored;
#[cfg(test)]
mod tests;
mod verify;

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use backup::{BackupSummary, MIN_PASSPHRASE_CHARS, RestoreOptions};
#[cfg(feature = "fuzzing")]
pub use backup::{open_for_fuzzing, unpack_for_fuzzing};
pub use channels::{
    Channel, ChannelHealth, ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, SmtpSecurity,
    check_email, parse_smtp_url, webhook_endpoint,
};
pub use checks::{CheckDetails, CheckResult, Outcome, mdm_claim};
pub use client_alerts::ClientAlerting;
pub use detail::{CredentialDetail, ExpectedRenewal};
pub use events::{Event, EventFilter, EventKind};
pub use import::{Confirmation, Facts, ImportOutcome, ImportPlan, ImportRequest};
pub use keys::{
    CertExport, CertFormat, CsrSaved, KeyPurpose, KeyRecord, PushRequest, PushRequestSaved,
    SIGNING_EXPLANATION, chain_pem,
};
pub use limits::{MAX_APPLE_ACCOUNT_CHARS, MAX_NAME_CHARS, MAX_NOTES_CHARS};
pub use listing::Version;
pub(crate) use listing::{order_by_key_then_label, put_in_order, urgency_order};
pub use lookup::FileMatch;
pub use mdm::{MdmAccess, MdmConnection, MdmForm, MdmSettings, MdmSyncReport};
pub use notify::ReminderPass;
pub use outbox::{Delivery, DeliveryFailure, QueueReport};
pub use schedule::CheckSchedule;
pub use settings::{CheckSettings, MAX_SNOOZE_HOURS, SettingsChange};
pub use staging::{Orphan, STAGING_GRACE, Sweep};
pub(crate) use stamps::{parse_ts, ts};
pub use verify::{Problem, ProblemKind, RESTORE_ADVICE, VerifyReport};

use crate::db::Db;
use crate::error::{Error, Result};
use crate::secrets::SecretStore;
use crate::status::Thresholds;
use crate::summary::Portal;
use limits::Field;

/// A client organisation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Client {
    /// Stable id.
    pub uid: String,
    /// Unique name (case-insensitive).
    pub name: String,
    /// Apple Business Manager or Apple School Manager.
    pub portal: Portal,
    /// Free notes.
    pub notes: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// How many credentials it has.
    pub credentials: u32,
}

/// TokenKeeper's data: a database and a secret store.
pub struct Vault {
    db: Db,
    secrets: Box<dyn SecretStore>,
    /// Notifications shown while the vault is read only (a team's copy while the server is
    /// away): not shown twice meanwhile, and recorded on the server once it is back.
    notified_read_only: Vec<(crate::reminders::Notification, DateTime<Utc>)>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("db", &self.db)
            .finish_non_exhaustive()
    }
}

/// A fresh random identifier (128 bits, hex).
pub(crate) fn new_uid() -> String {
    crate::pki::random_id()
}

fn client_not_found(name: &str) -> Error {
    Error::NotFound {
        what: format!("client \"{name}\""),
        hint: ": `tokenkeeper client list` shows the clients".to_owned(),
    }
}

impl Vault {
    /// A vault over an open database and a secret store.
    pub fn new(db: Db, secrets: Box<dyn SecretStore>) -> Self {
        Self {
            db,
            secrets,
            notified_read_only: Vec::new(),
        }
    }

    /// Where to open a second vault on the same data: the database file, or a team server's
    /// URL as given (password included: for opening, never for showing); `None` in memory.
    pub fn database_path(&self) -> Option<std::path::PathBuf> {
        self.db.reopen_location()
    }

    /// Where the data is, for showing: the file's path, or the server's URL without its
    /// password.
    pub fn database_location(&self) -> String {
        self.db.location()
    }

    /// Which database holds this vault and, for a team's, who is in it.
    ///
    /// # Errors
    /// [`Error::Database`].
    /// Reads this technician's key from the keychain the first time (to name them); one not
    /// (yet) in the team sees the members without a name of their own.
    pub fn team_view(&mut self) -> Result<crate::team::TeamView> {
        let me = match self.db.resolve_actor() {
            Ok(me) => me.map(str::to_owned),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(crate::team::TeamView {
            database: self.db.location(),
            shared: self.is_shared(),
            me,
            members: crate::team::members(&self.db.sql())?,
        })
    }

    /// The renewal window and grace period the user chose (defaults 30 and 30 days).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn thresholds(&self) -> Result<Thresholds> {
        let get = |key: &str| -> Result<Option<u32>> {
            let v: Option<String> = self
                .db
                .sql()
                .query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    args![key],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(v.and_then(|v| v.parse().ok()))
        };
        let d = Thresholds::default();
        Ok(Thresholds {
            renewal_window_days: get("renewal_window_days")?.unwrap_or(d.renewal_window_days),
            grace_days: get("grace_days")?.unwrap_or(d.grace_days),
        })
    }

    /// Saves the thresholds.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] past 365 days; [`Error::Database`].
    pub fn set_thresholds(&mut self, t: Thresholds, now: DateTime<Utc>) -> Result<()> {
        if t.renewal_window_days > 365 || t.grace_days > 365 {
            return Err(Error::InvalidInput {
                message: "the renewal window and the grace period must be 365 days or fewer"
                    .to_owned(),
            });
        }
        self.db.write(|tx| {
            for (k, v) in [
                ("renewal_window_days", t.renewal_window_days),
                ("grace_days", t.grace_days),
            ] {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    args![k, v.to_string()],
                )?;
            }
            events::append(
                tx,
                now,
                EventKind::SettingsChanged,
                None,
                None,
                &format!(
                    "renewal window {} days, grace period {} days",
                    t.renewal_window_days, t.grace_days
                ),
            )
        })
    }

    /// Adds a client.
    ///
    /// # Errors
    /// [`Error::AlreadyExists`] for a name in use (case-insensitive); [`Error::InvalidInput`]
    /// for an empty name, or a name or notes past their limits ([`MAX_NAME_CHARS`],
    /// [`MAX_NOTES_CHARS`]).
    pub fn add_client(
        &mut self,
        name: &str,
        portal: Portal,
        notes: &str,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(Error::InvalidInput {
                message: "a client needs a name (printable characters)".to_owned(),
            });
        }
        limits::check(Field::ClientName, name)?;
        limits::check(Field::Notes, notes)?;
        let uid = new_uid();
        self.db.write(|tx| {
            let inserted = tx.execute(
                "INSERT INTO clients (uid, name, portal, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING",
                args![uid, name, portal.id(), notes, ts(now)],
            )?;
            if inserted == 0 {
                return Err(Error::AlreadyExists {
                    what: format!("a client named \"{name}\""),
                });
            }
            events::append(
                tx,
                now,
                EventKind::ClientAdded,
                Some(name),
                None,
                &format!("client added ({})", portal.url()),
            )
        })?;
        self.client(name)
    }

    /// Changes a client's name, portal or notes.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::AlreadyExists`] when the new name is taken;
    /// [`Error::InvalidInput`] for an empty name, or a name or notes past their limits.
    pub fn update_client(
        &mut self,
        name: &str,
        new_name: &str,
        portal: Portal,
        notes: &str,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let current = self.client(name)?;
        let new_name = new_name.trim();
        if new_name.is_empty() {
            return Err(Error::InvalidInput {
                message: "a client needs a name".to_owned(),
            });
        }
        limits::check(Field::ClientName, new_name)?;
        limits::check(Field::Notes, notes)?;
        self.db.write(|tx| {
            let taken: Option<String> = tx
                .query_row(
                    "SELECT uid FROM clients WHERE name = ?1 COLLATE NOCASE AND uid != ?2",
                    args![new_name, current.uid],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Err(Error::AlreadyExists {
                    what: format!("a client named \"{new_name}\""),
                });
            }
            tx.execute(
                "UPDATE clients SET name = ?1, portal = ?2, notes = ?3 WHERE uid = ?4",
                args![new_name, portal.id(), notes, current.uid],
            )?;
            let what = if new_name == current.name {
                "client details changed".to_owned()
            } else {
                format!("client renamed from \"{}\"", current.name)
            };
            events::append(
                tx,
                now,
                EventKind::ClientUpdated,
                Some(new_name),
                None,
                &what,
            )
        })?;
        self.client(new_name)
    }

    /// One client by name (case-insensitive).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn client(&self, name: &str) -> Result<Client> {
        // One row from the name's index (ASCII case folding, as `eq_ignore_ascii_case`), not
        // every client listed: an import asks for it.
        let mut stmt = self.db.sql().prepare(
            "SELECT c.uid, c.name, c.portal, c.notes, c.created_at,
                    (SELECT COUNT(*) FROM credentials cr WHERE cr.client_id = c.id)
             FROM clients c WHERE c.name = ?1 COLLATE NOCASE",
        )?;
        let found = stmt.query_row(args![name.trim()], client_row).optional()?;
        found.ok_or_else(|| client_not_found(name))
    }

    /// Every client, by name.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn clients(&self) -> Result<Vec<Client>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT c.uid, c.name, c.portal, c.notes, c.created_at,
                    (SELECT COUNT(*) FROM credentials cr WHERE cr.client_id = c.id)
             FROM clients c ORDER BY c.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map(args![], client_row)?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// How many clients there are, without listing them (the dashboard shows the count).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn client_count(&self) -> Result<u32> {
        let n: i64 = self
            .db
            .sql()
            .query_row("SELECT COUNT(*) FROM clients", args![], |r| r.get(0))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

/// A client from a row of `uid, name, portal, notes, created_at, credential count`.
fn client_row(r: &crate::db::Row<'_>) -> crate::db::SqlResult<Client> {
    Ok(Client {
        uid: r.get(0)?,
        name: r.get(1)?,
        portal: Portal::parse(&r.get::<String>(2)?).unwrap_or_default(),
        notes: r.get(3)?,
        created_at: parse_ts(&r.get::<String>(4)?).unwrap_or_default(),
        credentials: r.get(5)?,
    })
}
