//! The dashboard's index read straight from the database: each row's texts go from the database's row
//! into the index's arena, without a listing of owned rows first (at 100,000 credentials that
//! listing took 43 MB and half the build's time, and its freed strings stayed in the process).
//! Vaults with MDM connections take the listing's path, which reconciles with the MDMs.

use chrono::{DateTime, Utc};

use super::listing::{SUMMARY_SELECT, summary_fields, urgency_parts};
use super::{Vault, states};
use crate::dashboard::{Builder, DashboardIndex};
use crate::error::Result;
use crate::summary::CredentialSummary;

impl Vault {
    /// Every credential indexed for the dashboard with its state at `now`, in the listing's
    /// order; the state changes noticed are recorded as [`Vault::record_state_changes`] does.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub fn dashboard_index(&mut self, now: DateTime<Utc>) -> Result<DashboardIndex> {
        if self.mdm_holds_anything()? {
            let rows = self.record_state_changes(now)?.0;
            return Ok(DashboardIndex::new(rows, self.client_count()?));
        }
        let thresholds = self.thresholds()?;
        let count: i64 =
            self.db
                .sql()
                .query_row("SELECT COUNT(*) FROM credentials", crate::args![], |r| {
                    r.get(0)
                })?;
        let mut builder = Builder::new(usize::try_from(count).unwrap_or(0));
        self.db
            .sql()
            .query_each(SUMMARY_SELECT, crate::args![], |r| -> Result<bool> {
                builder.push(&summary_fields(r, now, thresholds)?);
                Ok(true)
            })?;
        let (index, changed) = builder.finish(self.client_count()?, urgency_parts);
        if !changed.is_empty() {
            let changed: Vec<_> = changed.iter().map(CredentialSummary::view).collect();
            self.db.try_write(|tx| states::record(tx, &changed, now))?;
        }
        Ok(index)
    }
}
