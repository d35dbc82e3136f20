//! The audit log: append-only (the schema forbids updates, and deletes younger than 90 days).
//! Imports, renewals, refusals, accepted warnings, state changes, removals.

use crate::args;
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use crate::audit::EventKind;

use super::{Vault, parse_ts, ts};
use crate::error::Result;

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
    /// The team member who did it (absent on one technician's own vault).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
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
    tx: &crate::db::Sql<'_>,
    now: DateTime<Utc>,
    kind: EventKind,
    client: Option<&str>,
    credential: Option<(&str, &str)>,
    message: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO events (at, kind, client, credential_uid, label, message, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![
            ts(now),
            kind.id(),
            client,
            credential.map(|c| c.0),
            credential.map(|c| c.1),
            message,
            tx.actor()
        ],
    )?;
    Ok(())
}

pub(crate) fn append_for(
    tx: &crate::db::Sql<'_>,
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
        let mut stmt = self.db.sql().prepare(
            "SELECT at, kind, client, credential_uid, label, message, actor FROM events
             WHERE (CAST(?1 AS TEXT) IS NULL OR client = ?1 COLLATE NOCASE)
               AND (CAST(?2 AS TEXT) IS NULL OR credential_uid = ?2)
               AND (CAST(?3 AS TEXT) IS NULL OR at >= ?3)
             ORDER BY at DESC, id DESC",
        )?;
        let rows = stmt.query_map(
            args![filter.client, filter.credential_uid, filter.since.map(ts)],
            |r| {
                Ok(Event {
                    at: parse_ts(&r.get::<String>(0)?).unwrap_or_default(),
                    kind: EventKind::parse(&r.get::<String>(1)?),
                    client: r.get(2)?,
                    credential_uid: r.get(3)?,
                    label: r.get(4)?,
                    message: r.get(5)?,
                    actor: r.get(6)?,
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
