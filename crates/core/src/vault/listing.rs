//! Reading the vault: every credential with its state, sorted by urgency (as summaries, or
//! packed for a report); a credential's history, and changes to its label and Apple Account.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::limits::{self, Field};
use super::{Vault, events, parse_ts, ts};
use crate::dashboard::Fields;
use crate::error::{Error, Result};
use crate::report::Report;
use crate::status::{State, Thresholds, status};
use crate::summary::{CredentialSummary, Portal};
use crate::token::Kind;
use crate::vault::EventKind;

mod order;

use order::sort_by_urgency;
pub(super) use order::urgency_parts;
pub(crate) use order::{order_by_key_then_label, put_in_order, urgency_order};

/// One accepted file in a credential's history.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Version {
    /// 1 for the first file, then one more per renewal.
    pub revision: u32,
    /// The file's name when imported.
    pub file_name: Option<String>,
    /// SHA-256 of the file.
    pub file_sha256: String,
    /// Identity at that revision.
    pub identity: String,
    /// Expiry at that revision.
    pub expires_at: Option<DateTime<Utc>>,
    /// Apple Account recorded with it.
    pub apple_account: Option<String>,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
}

pub(super) fn kind_from_id(id: &str) -> Kind {
    match id {
        "server_token" => Kind::ServerToken,
        "content_token" => Kind::ContentToken,
        _ => Kind::PushCertificate,
    }
}

/// The columns of a listed row, read by [`summary_fields`].
pub(super) const SUMMARY_SELECT: &str =
    "SELECT cr.uid, c.name, c.portal, cr.kind, cr.label, cr.identity, cr.apple_account,
            cr.expires_at, cr.revision, cr.error, cr.last_state, c.warn_days
     FROM credentials cr JOIN clients c ON c.id = cr.client_id";

/// One row of [`SUMMARY_SELECT`] as its file describes it (no MDM view), its texts borrowed from
/// the row, with its state at `now` and the last state recorded for it: read once here for the
/// listing and for the dashboard's index, which copies the texts straight into its arena.
pub(super) fn summary_fields<'r>(
    r: &'r crate::db::Row<'_>,
    now: DateTime<Utc>,
    thresholds: Thresholds,
) -> crate::db::SqlResult<Fields<'r>> {
    let expires_at = r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts);
    let error = r.get_ref(9)?.as_str_or_null()?;
    let thresholds = Thresholds {
        renewal_window_days: r
            .get::<Option<u32>>(11)?
            .unwrap_or(thresholds.renewal_window_days),
        ..thresholds
    };
    Ok(Fields {
        uid: r.get_ref(0)?.as_str()?,
        client: r.get_ref(1)?.as_str()?,
        portal: Portal::parse(r.get_ref(2)?.as_str()?).unwrap_or_default(),
        kind: kind_from_id(r.get_ref(3)?.as_str()?),
        label: r.get_ref(4)?.as_str()?,
        identity: r.get_ref(5)?.as_str()?,
        apple_account: r.get_ref(6)?.as_str_or_null()?,
        expires_at,
        revision: r.get(8)?,
        status: status(expires_at, error, now, thresholds),
        renewal_window_days: thresholds.renewal_window_days,
        // The last state recorded, as a state (not a string per row).
        last_state: r.get_ref(10)?.as_str_or_null()?.and_then(State::parse),
    })
}

/// One row of [`SUMMARY_SELECT`] as an owned summary with the last state recorded for it.
fn summary_row(
    r: &crate::db::Row<'_>,
    now: DateTime<Utc>,
    thresholds: Thresholds,
) -> crate::db::SqlResult<(CredentialSummary, Option<State>)> {
    Ok(owned(summary_fields(r, now, thresholds)?))
}

/// A row's fields as an owned summary with the last state recorded for it.
fn owned(f: Fields<'_>) -> (CredentialSummary, Option<State>) {
    (
        CredentialSummary {
            uid: f.uid.to_owned(),
            client: f.client.to_owned(),
            portal: f.portal,
            kind: f.kind,
            label: f.label.to_owned(),
            identity: f.identity.to_owned(),
            apple_account: f.apple_account.map(str::to_owned),
            expires_at: f.expires_at,
            revision: f.revision,
            status: f.status,
            renewal_window_days: f.renewal_window_days,
            source: crate::mdm::Source::File,
            mdm: None,
        },
        f.last_state,
    )
}

/// Where [`Vault::each_row`] hands the rows it reads.
trait RowSink {
    /// A credential as its row describes it (no MDM view), its texts borrowed from the row.
    fn fields(&mut self, f: Fields<'_>);
    /// A credential compared with what its client's MDMs hold, or one only an MDM holds.
    fn summary(&mut self, s: CredentialSummary, last_state: Option<State>);
}

impl RowSink for Vec<(CredentialSummary, Option<State>)> {
    fn fields(&mut self, f: Fields<'_>) {
        self.push(owned(f));
    }

    fn summary(&mut self, s: CredentialSummary, last_state: Option<State>) {
        self.push((s, last_state));
    }
}

impl RowSink for Report {
    fn fields(&mut self, f: Fields<'_>) {
        self.push_fields(f);
    }

    fn summary(&mut self, s: CredentialSummary, last_state: Option<State>) {
        self.push(s, last_state);
    }
}

impl Vault {
    /// Every credential of every client with its state at `now`: most urgent first, then
    /// soonest to expire, then by client.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn summaries(&self, now: DateTime<Utc>) -> Result<Vec<CredentialSummary>> {
        Ok(self.rows(now)?.into_iter().map(|(s, _)| s).collect())
    }

    /// The credentials with these row ids as their files describe them (no MDM view), in the
    /// listing's order: what a scheduler pass reads in full once it has found which rows
    /// matter.
    pub(super) fn summaries_by_id(
        &self,
        ids: &[i64],
        now: DateTime<Utc>,
        thresholds: Thresholds,
    ) -> Result<Vec<CredentialSummary>> {
        let mut stmt = self
            .db
            .sql()
            .prepare(&format!("{SUMMARY_SELECT} WHERE cr.id = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = stmt
                .query_row(args![id], |r| summary_row(r, now, thresholds))
                .optional()?
            {
                out.push(row);
            }
        }
        sort_by_urgency(&mut out);
        Ok(out.into_iter().map(|(s, _)| s).collect())
    }

    /// Every credential's summary with the last state recorded for it.
    pub(super) fn rows(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(CredentialSummary, Option<State>)>> {
        // Sized once and filled straight from the rows: a vector doubling as it fills holds
        // both its halves for a moment (55 MB for 100,000 rows instead of 28).
        let mut out = Vec::with_capacity(self.credential_count()?);
        self.each_row(now, &mut out)?;
        sort_by_urgency(&mut out);
        Ok(out)
    }

    /// Every credential listed at `now`, packed for a report (what `status` and `export`
    /// print), with the last state recorded for each: the rows of [`Vault::summaries`], in its
    /// order, in about half the memory.
    pub(super) fn packed(&self, now: DateTime<Utc>) -> Result<Report> {
        let mut report = Report::with_capacity(self.credential_count()?);
        self.each_row(now, &mut report)?;
        report.sort();
        Ok(report)
    }

    fn credential_count(&self) -> Result<usize> {
        let count: i64 =
            self.db
                .sql()
                .query_row("SELECT COUNT(*) FROM credentials", args![], |r| r.get(0))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Every credential at `now` with the last state recorded for it, handed to `sink` one by
    /// one in no particular order, with what its client's MDMs hold (and the credentials only an
    /// MDM holds). The rows of clients with an MDM connection are held until the end to be
    /// compared with their MDMs together; the others go straight on, borrowed from their row
    /// (a report copies their texts into its own string, with no allocation of their own).
    fn each_row(&self, now: DateTime<Utc>, sink: &mut impl RowSink) -> Result<()> {
        let thresholds = self.thresholds()?;
        let connected = self.clients_with_mdm()?;
        let mut held = Vec::new();
        self.db
            .sql()
            .query_each(SUMMARY_SELECT, args![], |r| -> crate::db::SqlResult<bool> {
                let f = summary_fields(r, now, thresholds)?;
                if !connected.is_empty() && connected.contains(f.client) {
                    held.push(owned(f));
                } else {
                    sink.fields(f);
                }
                Ok(true)
            })?;
        if self.db.sql().dialect() == crate::db::Dialect::Sqlite {
            // A scan of every credential leaves SQLite's page cache full (2 MB), held through
            // the sort that follows at the listing's peak of memory (massif); given back first.
            self.db.sql().execute_batch("PRAGMA shrink_memory")?;
        }
        self.apply_mdm(&mut held, now, thresholds)?;
        for (s, last_state) in held {
            sink.summary(s, last_state);
        }
        Ok(())
    }

    /// A credential's accepted files, newest first.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn versions(&self, uid: &str) -> Result<Vec<Version>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT v.revision, v.file_name, v.file_sha256, v.identity, v.expires_at, v.apple_account,
                    v.imported_at
             FROM versions v JOIN credentials cr ON cr.id = v.credential_id
             WHERE cr.uid = ?1 ORDER BY v.revision DESC",
        )?;
        let rows = stmt.query_map(args![uid], |r| {
            Ok(Version {
                revision: r.get(0)?,
                file_name: r.get(1)?,
                file_sha256: r.get(2)?,
                identity: r.get(3)?,
                expires_at: r.get::<Option<String>>(4)?.as_deref().and_then(parse_ts),
                apple_account: r.get(5)?,
                imported_at: parse_ts(&r.get::<String>(6)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// Changes a credential's label or Apple Account on record.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::AlreadyExists`] for a label in use by the client;
    /// [`Error::InvalidInput`] for an empty label, or a label or Apple Account past its limit.
    pub fn update_credential(
        &mut self,
        uid: &str,
        label: &str,
        apple_account: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let label = label.trim();
        if label.is_empty() {
            return Err(Error::InvalidInput {
                message: "a credential needs a label".to_owned(),
            });
        }
        let account = apple_account.map(str::trim).filter(|a| !a.is_empty());
        limits::check(Field::CredentialLabel, label)?;
        limits::check_opt(Field::AppleAccount, account)?;
        self.db.write(|tx| {
            let client: Option<String> = tx
                .query_row(
                    "SELECT c.name FROM credentials cr JOIN clients c ON c.id = cr.client_id WHERE cr.uid = ?1",
                    args![uid],
                    |r| r.get(0),
                )
                .optional()?;
            let client = client.ok_or_else(|| Error::NotFound {
                what: "credential".to_owned(),
                hint: String::new(),
            })?;
            tx.execute(
                "UPDATE credentials SET label = ?1, apple_account = ?2, updated_at = ?3 WHERE uid = ?4",
                args![label, account, ts(now), uid],
            )
            .map_err(|e| match e {
                e if e.is_constraint() => {
                    Error::AlreadyExists {
                        what: format!("a credential labelled \"{label}\" for {client}"),
                    }
                }
                other => other.into(),
            })?;
            events::append_for(
                tx,
                now,
                EventKind::CredentialUpdated,
                &client,
                uid,
                label,
                &format!(
                    "label and Apple Account on record set ({})",
                    account.unwrap_or("no Apple Account")
                ),
            )
        })
    }
}
