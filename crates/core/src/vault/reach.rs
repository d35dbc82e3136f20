//! Which credentials can matter at a moment. A credential whose expiry lies beyond every
//! reminder or alert milestone and every renewal window is Active with nothing due, whatever
//! else it holds: a pass reads the others through the expiry index (in a vault of 100,000
//! credentials with expiries spread over two years, about one in eight) and counts the rest.
//! The desktop reminders' pass and the channels' alert pass both read through it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::ts;
use crate::args;
use crate::error::Result;
use crate::reminders::Milestones;
use crate::status::Thresholds;

/// How far before expiry anything can happen at `now`, and each client's own warning window.
pub(super) struct Reach {
    /// Clients with a warning threshold of their own; every other client uses the vault's.
    own_window: HashMap<i64, u32>,
    thresholds: Thresholds,
    /// The furthest before expiry anything can happen: a milestone or the opening of a
    /// renewal window.
    pub(super) reach: Duration,
    /// `now` plus the reach (and a second more: stored expiries are whole seconds), as stored:
    /// a credential expiring after it is Active with no milestone passed.
    pub(super) horizon: String,
}

impl Reach {
    /// The reach at `now` of `milestones` and every warning window in the vault.
    pub(super) fn new(
        conn: &crate::db::Sql<'_>,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &Milestones,
    ) -> Result<Self> {
        let own_window: HashMap<i64, u32> = conn
            .prepare("SELECT id, warn_days FROM clients WHERE warn_days IS NOT NULL")?
            .query_map(args![], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<crate::db::SqlResult<_>>()?;
        let reach_days = milestones
            .days_before
            .iter()
            .copied()
            .chain(own_window.values().copied())
            .chain([thresholds.renewal_window_days])
            .max()
            .unwrap_or(0);
        let reach = Duration::days(i64::from(reach_days));
        Ok(Self {
            own_window,
            thresholds,
            reach,
            horizon: ts(now + reach + Duration::seconds(1)),
        })
    }

    /// The thresholds of the client with this row id (its own warning window, else the
    /// vault's).
    pub(super) fn own(&self, client_id: i64) -> Thresholds {
        Thresholds {
            renewal_window_days: self
                .own_window
                .get(&client_id)
                .copied()
                .unwrap_or(self.thresholds.renewal_window_days),
            ..self.thresholds
        }
    }
}

/// The credentials within reach (expiring up to the horizon, bound as `?1`), of unknown
/// expiry, and in Error beyond reach: three scans of one index, no OR (that would read each
/// row from the table). Columns: row id, client id, expiry, error, and the milestones already
/// recorded in `recorded` (`reminders_sent` or `alerts`) for the credential's revision.
pub(super) fn within_reach_sql(recorded: &str) -> String {
    let select = format!(
        "SELECT cr.id, cr.client_id, cr.expires_at, cr.error,
                (SELECT group_concat(s.milestone, ' ') FROM {recorded} s
                 WHERE s.credential_uid = cr.uid AND s.revision = cr.revision)
         FROM credentials cr"
    );
    format!(
        "{select} WHERE cr.expires_at <= ?1
         UNION ALL
         {select} WHERE cr.expires_at IS NULL
         UNION ALL
         {select} WHERE cr.error IS NOT NULL AND cr.expires_at > ?1"
    )
}
