//! The dashboard's index read straight from the database: each row's texts go from SQLite's row
//! into the index's arena, without a listing of owned rows first (at 100,000 credentials that
//! listing took 43 MB and half the build's time, and its freed strings stayed in the process).
//! Vaults with MDM connections take the listing's path, which reconciles with the MDMs.

use chrono::{DateTime, Utc};

use super::listing::{kind_from_id, urgency_parts};
use super::{Vault, parse_ts, states};
use crate::dashboard::{Builder, DashboardIndex, Fields};
use crate::error::Result;
use crate::status::{State, Thresholds, status};
use crate::summary::{CredentialSummary, Portal};

impl Vault {
    /// Every credential indexed for the dashboard with its state at `now`, in the listing's
    /// order; the state changes noticed are recorded as [`Vault::record_state_changes`] does.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub fn dashboard_index(&mut self, now: DateTime<Utc>) -> Result<DashboardIndex> {
        if !self.seen()?.is_empty() {
            let rows = self.record_state_changes(now)?.0;
            return Ok(DashboardIndex::new(rows, self.client_count()?));
        }
        let thresholds = self.thresholds()?;
        let count: i64 = self
            .db
            .conn()
            .query_row("SELECT COUNT(*) FROM credentials", [], |r| r.get(0))?;
        let mut builder = Builder::new(usize::try_from(count).unwrap_or(0));
        {
            // The listing's query (`Vault::rows`).
            let mut stmt = self.db.conn().prepare_cached(
                "SELECT cr.uid, c.name, c.portal, cr.kind, cr.label, cr.identity, cr.apple_account,
                        cr.expires_at, cr.revision, cr.error, cr.last_state, c.warn_days
                 FROM credentials cr JOIN clients c ON c.id = cr.client_id",
            )?;
            let mut rows = stmt.query([])?;
            let mut read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
                let expires_at = r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts);
                let error = r.get_ref(9)?.as_str_or_null()?;
                let renewal_window_days = r
                    .get::<_, Option<u32>>(11)?
                    .unwrap_or(thresholds.renewal_window_days);
                let own = Thresholds {
                    renewal_window_days,
                    ..thresholds
                };
                builder.push(&Fields {
                    uid: r.get_ref(0)?.as_str()?,
                    client: r.get_ref(1)?.as_str()?,
                    portal: Portal::parse(r.get_ref(2)?.as_str()?).unwrap_or_default(),
                    kind: kind_from_id(r.get_ref(3)?.as_str()?),
                    label: r.get_ref(4)?.as_str()?,
                    identity: r.get_ref(5)?.as_str()?,
                    apple_account: r.get_ref(6)?.as_str_or_null()?,
                    expires_at,
                    revision: r.get(8)?,
                    status: status(expires_at, error, now, own),
                    renewal_window_days,
                    last_state: r.get_ref(10)?.as_str_or_null()?.and_then(State::parse),
                });
                Ok(())
            };
            while let Some(r) = rows.next()? {
                read(r)?;
            }
        }
        let (index, changed) = builder.finish(self.client_count()?, urgency_parts);
        if !changed.is_empty() {
            let changed: Vec<&CredentialSummary> = changed.iter().collect();
            self.db.try_write(|tx| states::record(tx, &changed, now))?;
        }
        Ok(index)
    }
}
