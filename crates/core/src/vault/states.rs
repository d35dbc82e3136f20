//! State changes noticed while listing (Active -> Renewal Required, ...), recorded in the audit
//! log as bookkeeping that never makes a read wait.

use crate::args;
use chrono::{DateTime, Utc};

use super::{EventKind, Vault, events};
use crate::error::Result;
use crate::report::{Report, SummaryRef};
use crate::summary::CredentialSummary;

impl Vault {
    /// Records in the audit log every credential whose state differs from the last one
    /// recorded (Active -> Renewal Required, ...). Returns the summaries and how many changes
    /// were recorded.
    ///
    /// The recording is bookkeeping on a read: when another process holds the write lock it is
    /// skipped without waiting, and the change stays unrecorded until the next call notices it
    /// again. A change another process recorded (or a renewal) in the meantime is not recorded
    /// twice.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn record_state_changes(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<(Vec<CredentialSummary>, usize)> {
        let rows = self.rows(now)?;
        let changed: Vec<SummaryRef<'_>> = rows
            .iter()
            .filter(|(s, last)| *last != Some(s.status.state))
            .map(|(s, _)| s.view())
            .collect();
        let recorded = self.record_changed(&changed, now)?;
        Ok((rows.into_iter().map(|(s, _)| s).collect(), recorded))
    }

    /// Every credential with its state at `now`, packed for a report, in the order of
    /// [`Vault::summaries`]. Nothing is written.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn report(&self, now: DateTime<Utc>) -> Result<Report> {
        self.packed(now)
    }

    /// [`Vault::report`], and how many of its states are not recorded yet (what
    /// [`Vault::report_and_record`] would record): nothing is written.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn report_unrecorded(&self, now: DateTime<Utc>) -> Result<(Report, usize)> {
        let report = self.packed(now)?;
        let unrecorded = report.unrecorded().count();
        Ok((report, unrecorded))
    }

    /// [`Vault::report`], recording the state changes it notices as
    /// [`Vault::record_state_changes`] does; returns how many it recorded.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn report_and_record(&mut self, now: DateTime<Utc>) -> Result<(Report, usize)> {
        let report = self.packed(now)?;
        let changed: Vec<SummaryRef<'_>> = report.unrecorded().collect();
        let recorded = self.record_changed(&changed, now)?;
        Ok((report, recorded))
    }

    /// Records `changed` unless another process holds the write lock; how many it recorded.
    fn record_changed(&mut self, changed: &[SummaryRef<'_>], now: DateTime<Utc>) -> Result<usize> {
        if changed.is_empty() {
            return Ok(0);
        }
        Ok(self
            .db
            .try_write(|tx| record(tx, changed, now))?
            .unwrap_or(0))
    }
}

/// Writes the state changes still unrecorded at the revision they were computed for; returns
/// how many it wrote.
pub(super) fn record(
    tx: &crate::db::Sql<'_>,
    changed: &[SummaryRef<'_>],
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut recorded = 0;
    for s in changed {
        let updated = tx.execute(
            "UPDATE credentials SET last_state = ?1
             WHERE uid = ?2 AND revision = ?3 AND last_state IS DISTINCT FROM ?1",
            args![s.status.state.id(), s.uid, s.revision],
        )?;
        if updated == 0 {
            continue;
        }
        let mut message = format!("now {}", s.status.state.label());
        if let Some(reason) = &s.status.reason {
            message.push_str(&format!(": {reason}"));
        }
        events::append_for(
            tx,
            now,
            EventKind::StateChanged,
            s.client,
            s.uid,
            s.label,
            &message,
        )?;
        recorded += 1;
    }
    Ok(recorded)
}
