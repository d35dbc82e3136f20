//! The revision guard: an import is decided on one consistent snapshot of the credentials of
//! its kind, and written only if none that the decision looked at changed since (those of the
//! same client, with the same identity or file; another client's unrelated import
//! goes ahead). Two processes renewing the same
//! credential at once: the first to write lands, the other is told what changed, when, and to
//! look again; an older file can never be committed over a newer one decided in between.

use crate::args;
use std::collections::BTreeMap;

use crate::db::OptionalRow;

use crate::error::{Error, Result};
use crate::token::Kind;

/// The credentials the import's decision looked at, as it saw them.
#[derive(Debug, Clone)]
pub(in crate::vault) struct Seen {
    kind: Kind,
    focus: Focus,
    rows: BTreeMap<String, Row>,
}

/// What the decision depends on: the importing client, and the file's identity, hash and
/// content fingerprint (which find it at other clients). A server token that could not be read
/// has no identity of its own here: other clients' tokens encrypted to the same MDM
/// certificate do not change what is decided for it (the rules compare those only within the
/// client).
#[derive(Debug, Clone)]
pub(in crate::vault) struct Focus {
    pub client: String,
    pub identity: Option<String>,
    pub file_sha256: String,
    pub content_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    revision: u32,
    client: String,
    label: String,
}

/// The credentials (`cr`) of kind `?1` that concern a [`Focus`] (`?2` to `?7`, from
/// [`Focus::params`]): the client's own and those holding the same identity, file or content. Every term is indexed (migration 9), so that SQLite answers it from the indexes
/// and a vault of 100,000 hands back a handful of rows without being read whole.
/// (`cr.kind || ''` keeps SQLite from reading every credential of the kind through the kind's
/// index: each term of the OR is then looked up in its own index.)
pub(in crate::vault) const CONCERNS: &str = "(cr.kind || '') = ?1
    AND (cr.client_id = (SELECT id FROM clients WHERE name = ?2 COLLATE NOCASE)
         OR (cr.kind = ?1 AND cr.identity = ?3) OR cr.file_sha256 = ?4
         OR cr.content_sha256 = ?5)";

impl Focus {
    /// The parameters of [`CONCERNS`] for credentials of `kind`.
    pub(in crate::vault) fn params(&self, kind: Kind) -> [Option<&str>; 5] {
        [
            Some(kind.id()),
            Some(&self.client),
            self.identity.as_deref(),
            Some(&self.file_sha256),
            Some(&self.content_sha256),
        ]
    }
}

/// The credentials of `kind` that concern `f` ([`CONCERNS`]).
fn rows(conn: &crate::db::Sql<'_>, kind: Kind, f: &Focus) -> Result<BTreeMap<String, Row>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT cr.uid, cr.revision, c.name, cr.label
         FROM credentials cr JOIN clients c ON c.id = cr.client_id WHERE {CONCERNS}"
    ))?;
    let rows = stmt.query_map(&crate::db::args_from(&f.params(kind)), |r| {
        Ok((
            r.get::<String>(0)?,
            Row {
                revision: r.get(1)?,
                client: r.get(2)?,
                label: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<crate::db::SqlResult<BTreeMap<_, _>>>()?)
}

impl Seen {
    /// Reads the credentials of `kind` that concern `focus`; call inside the snapshot the
    /// decision is made on.
    pub(in crate::vault) fn read(
        conn: &crate::db::Sql<'_>,
        kind: Kind,
        focus: Focus,
    ) -> Result<Self> {
        let rows = rows(conn, kind, &focus)?;
        Ok(Seen { kind, focus, rows })
    }

    /// Inside the write transaction: [`Error::Conflict`] naming the first change since
    /// [`Seen::read`] (a renewal, an addition, a removal) to a credential the decision looked
    /// at, else `Ok`.
    pub(in crate::vault) fn ensure_unchanged(&self, tx: &crate::db::Sql<'_>) -> Result<()> {
        let now = rows(tx, self.kind, &self.focus)?;
        if now == self.rows {
            return Ok(());
        }
        let changed = now
            .iter()
            .find(|(uid, row)| self.rows.get(*uid) != Some(*row))
            .map(|(uid, row)| (uid.as_str(), row, self.rows.contains_key(uid)));
        let what = self.kind.display_name();
        let message = match changed {
            Some((uid, row, existed)) => {
                let (at, expires, by) = when(tx, uid)?;
                let done = if existed { "changed" } else { "added" };
                let elsewhere = by.map_or_else(
                    || "elsewhere (another TokenKeeper window or the command line)".to_owned(),
                    |who| format!("by {who}"),
                );
                format!(
                    "the {what} \"{}\" of {} was {done} {elsewhere} at {at}, while this file was being checked: it is now revision {}{expires}. Nothing was saved: look at it again, then import the file again if it is still needed",
                    row.label, row.client, row.revision
                )
            }
            None => {
                let Some((_, r)) = self.rows.iter().find(|(uid, _)| !now.contains_key(*uid)) else {
                    return Ok(());
                };
                let gone = format!(" \"{}\" of {}", r.label, r.client);
                format!(
                    "the {what}{gone} was removed elsewhere (another TokenKeeper window or the command line) while this file was being checked. Nothing was saved: look again, then import the file again if it is still needed"
                )
            }
        };
        Err(Error::Conflict { message })
    }
}

/// When a credential last changed and, if known, its expiry, as words for the message, and
/// the team member who changed it when a team shares the vault.
fn when(tx: &crate::db::Sql<'_>, uid: &str) -> Result<(String, String, Option<String>)> {
    let by: Option<String> = tx
        .query_opt(
            "SELECT actor FROM events WHERE credential_uid = ?1 ORDER BY id DESC LIMIT 1",
            args![uid],
            |r| r.get(0),
        )?
        .flatten();
    let found: Option<(String, Option<String>)> = tx
        .query_row(
            "SELECT updated_at, expires_at FROM credentials WHERE uid = ?1",
            args![uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match found {
        Some((at, expires)) => (
            at,
            expires
                .as_deref()
                .and_then(crate::vault::parse_ts)
                .map_or_else(String::new, |e| {
                    format!(", expiring {}", e.format("%-d %b %Y"))
                }),
            by,
        ),
        None => ("a moment ago".to_owned(), String::new(), by),
    })
}
