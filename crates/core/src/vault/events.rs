//! The audit log: append-only (the schema forbids updates, and deletes younger than 90 days).
//! Imports, renewals, refusals, accepted warnings, state changes, removals.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::Serialize;

use super::{Vault, parse_ts, ts};
use crate::error::Result;

/// What an audit-log entry records. Stored as its id; the UI's filter offers [`EventKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new credential.
    Imported,
    /// A new revision of a credential.
    Renewed,
    /// A file refused, with why.
    Refused,
    /// A warning the user confirmed to import a file.
    WarningAccepted,
    /// A credential's state changed (it entered its renewal window, expired, lapsed).
    StateChanged,
    /// A credential's label, Apple Account or expiry edited.
    CredentialUpdated,
    /// A credential removed.
    CredentialRemoved,
    /// A client added.
    ClientAdded,
    /// A client renamed or edited.
    ClientUpdated,
    /// A client removed with its credentials.
    ClientRemoved,
    /// A setting changed.
    SettingsChanged,
    /// A stored secret changed or went missing outside TokenKeeper.
    SecretTampered,
    /// A read-only check at Apple answered.
    Checked,
    /// A check at Apple could not be done.
    CheckFailed,
    /// A key made or kept (CSR, ADE key pair, vendor identity).
    KeyAdded,
    /// A key removed.
    KeyRemoved,
    /// A certificate exported with its key.
    KeyExported,
    /// A pending key became a credential's key.
    KeyAttached,
    /// A backup written.
    BackupMade,
    /// A backup restored.
    BackupRestored,
    /// A reminder shown.
    NotificationSent,
    /// Written by a newer TokenKeeper: shown as it is, never offered as a filter.
    Unknown,
}

impl EventKind {
    /// Every kind TokenKeeper writes.
    pub const ALL: [EventKind; 21] = [
        EventKind::Imported,
        EventKind::Renewed,
        EventKind::Refused,
        EventKind::WarningAccepted,
        EventKind::StateChanged,
        EventKind::CredentialUpdated,
        EventKind::CredentialRemoved,
        EventKind::ClientAdded,
        EventKind::ClientUpdated,
        EventKind::ClientRemoved,
        EventKind::SettingsChanged,
        EventKind::SecretTampered,
        EventKind::Checked,
        EventKind::CheckFailed,
        EventKind::KeyAdded,
        EventKind::KeyRemoved,
        EventKind::KeyExported,
        EventKind::KeyAttached,
        EventKind::BackupMade,
        EventKind::BackupRestored,
        EventKind::NotificationSent,
    ];

    /// Stable identifier, as stored (`warning_accepted`).
    pub fn id(self) -> &'static str {
        match self {
            EventKind::Imported => "imported",
            EventKind::Renewed => "renewed",
            EventKind::Refused => "refused",
            EventKind::WarningAccepted => "warning_accepted",
            EventKind::StateChanged => "state_changed",
            EventKind::CredentialUpdated => "credential_updated",
            EventKind::CredentialRemoved => "credential_removed",
            EventKind::ClientAdded => "client_added",
            EventKind::ClientUpdated => "client_updated",
            EventKind::ClientRemoved => "client_removed",
            EventKind::SettingsChanged => "settings_changed",
            EventKind::SecretTampered => "secret_tampered",
            EventKind::Checked => "checked",
            EventKind::CheckFailed => "check_failed",
            EventKind::KeyAdded => "key_added",
            EventKind::KeyRemoved => "key_removed",
            EventKind::KeyExported => "key_exported",
            EventKind::KeyAttached => "key_attached",
            EventKind::BackupMade => "backup_made",
            EventKind::BackupRestored => "backup_restored",
            EventKind::NotificationSent => "notification_sent",
            EventKind::Unknown => "unknown",
        }
    }

    /// The kind stored as `id`; [`EventKind::Unknown`] for one this version does not know.
    pub fn parse(id: &str) -> Self {
        EventKind::ALL
            .into_iter()
            .find(|k| k.id() == id)
            .unwrap_or(EventKind::Unknown)
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Event {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: EventKind,
    /// The client's name at the time.
    pub client: Option<String>,
    /// The credential concerned.
    pub credential_uid: Option<String>,
    /// Its label at the time.
    pub label: Option<String>,
    /// What happened, in words.
    pub message: String,
}

/// Which events to list.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only this client's (case-insensitive).
    pub client: Option<String>,
    /// Only this credential's.
    pub credential_uid: Option<String>,
    /// Only these kinds.
    pub kinds: Vec<String>,
    /// Only since then.
    pub since: Option<DateTime<Utc>>,
    /// At most this many, newest first (0: all).
    pub limit: usize,
}

pub(crate) fn append(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    kind: EventKind,
    client: Option<&str>,
    credential: Option<(&str, &str)>,
    message: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO events (at, kind, client, credential_uid, label, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            ts(now),
            kind.id(),
            client,
            credential.map(|c| c.0),
            credential.map(|c| c.1),
            message
        ],
    )?;
    Ok(())
}

pub(crate) fn append_for(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    kind: EventKind,
    client: &str,
    uid: &str,
    label: &str,
    message: &str,
) -> Result<()> {
    append(tx, now, kind, Some(client), Some((uid, label)), message)
}

impl Vault {
    /// The audit log, newest first.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<Event>> {
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT at, kind, client, credential_uid, label, message FROM events
             WHERE (?1 IS NULL OR client = ?1 COLLATE NOCASE)
               AND (?2 IS NULL OR credential_uid = ?2)
               AND (?3 IS NULL OR at >= ?3)
             ORDER BY at DESC, id DESC",
        )?;
        let rows = stmt.query_map(
            params![filter.client, filter.credential_uid, filter.since.map(ts)],
            |r| {
                Ok(Event {
                    at: parse_ts(&r.get::<_, String>(0)?).unwrap_or_default(),
                    kind: EventKind::parse(&r.get::<_, String>(1)?),
                    client: r.get(2)?,
                    credential_uid: r.get(3)?,
                    label: r.get(4)?,
                    message: r.get(5)?,
                })
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let event = row?;
            if !filter.kinds.is_empty() && !filter.kinds.iter().any(|k| k == event.kind.id()) {
                continue;
            }
            out.push(event);
            if filter.limit > 0 && out.len() >= filter.limit {
                break;
            }
        }
        Ok(out)
    }

    /// Records an event outside any other change (a refusal).
    pub(crate) fn log(
        &mut self,
        now: DateTime<Utc>,
        kind: EventKind,
        client: Option<&str>,
        message: &str,
    ) -> Result<()> {
        self.db
            .write(|tx| append(tx, now, kind, client, None, message))
    }
}
