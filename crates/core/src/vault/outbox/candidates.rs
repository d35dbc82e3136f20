//! The alerts a scheduler pass finds due: read in one query, or from the reconciled listing
//! when an MDM holds something.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};

use super::super::reach::{Reach, within_reach_sql};
use super::super::{Vault, parse_ts};
use super::Due;
use crate::error::Result;
use crate::reminders;
use crate::status::{Thresholds, status};
use crate::summary::{CredentialSummary, Portal};

impl Vault {
    /// Every credential whose latest milestone at `now` was not queued yet, as the alert to
    /// queue: the credentials within reach of a milestone are read through the expiry index
    /// (the milestones already queued for their revision come with them), and only the due
    /// ones in full, in the table's order.
    pub(super) fn candidates(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &reminders::Milestones,
    ) -> Result<Vec<Due>> {
        if self.mdm_holds_anything()? {
            return self.reconciled_candidates(now, thresholds, milestones);
        }
        let conn = self.db.sql();
        let within = Reach::new(&conn, now, thresholds, milestones)?;
        let mut schedules = reminders::Schedules::default();
        let mut due: Vec<(i64, String)> = Vec::new();
        conn.prepare(&within_reach_sql("alerts"))?.query_each(
            args![within.horizon],
            |r| -> crate::db::SqlResult<bool> {
                let expires_at = r.get_ref(2)?.as_str_or_null()?.and_then(parse_ts);
                let error = r.get_ref(3)?.as_str_or_null()?;
                let queued = r.get_ref(4)?.as_str_or_null()?.unwrap_or_default();
                let milestone = reminders::latest_milestone(
                    expires_at,
                    error,
                    now,
                    within.own(r.get(1)?),
                    milestones,
                    &mut schedules,
                );
                if let Some(m) = milestone.filter(|m| !queued.split(' ').any(|q| q == *m)) {
                    due.push((r.get(0)?, m.to_owned()));
                }
                Ok(true)
            },
        )?;
        due.sort_unstable_by_key(|d| d.0);
        let mut stmt = conn.prepare(&format!(
            "{CANDIDATE_COLUMNS} {CANDIDATE_FROM} WHERE cr.id = ?1"
        ))?;
        let mut out = Vec::with_capacity(due.len());
        for (id, milestone) in due {
            if let Some(d) = stmt
                .query_row(args![id], |r| due_row(r, now, thresholds, &milestone))
                .optional()?
            {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// The candidates when an MDM holds something: read from the reconciled listing, so a
    /// disagreement with an MDM (an Error) and what only an MDM holds reach the channels too,
    /// exactly as they reach the window and the desktop reminders.
    fn reconciled_candidates(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &reminders::Milestones,
    ) -> Result<Vec<Due>> {
        use std::collections::HashMap;
        let conn = self.db.sql();
        let clients: HashMap<String, (i64, Option<String>)> = conn
            .prepare("SELECT name, id, contact_email FROM clients")?
            .query_map(args![], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<crate::db::SqlResult<_>>()?;
        let queued: HashMap<(String, u32), String> = conn
            .prepare(
                "SELECT credential_uid, revision, group_concat(milestone, ' ') FROM alerts
                 GROUP BY credential_uid, revision",
            )?
            .query_map(args![], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
            .collect::<crate::db::SqlResult<_>>()?;
        let mut out = Vec::new();
        let mut schedules = reminders::Schedules::default();
        for (summary, _) in self.rows(now)? {
            let own = summary.thresholds(thresholds);
            let Some(milestone) = reminders::latest_milestone(
                summary.expires_at,
                summary.status.reason.as_deref(),
                now,
                own,
                milestones,
                &mut schedules,
            )
            .map(str::to_owned) else {
                continue;
            };
            let done = queued
                .get(&(summary.uid.clone(), summary.revision))
                .is_some_and(|q| q.split(' ').any(|m| m == milestone));
            let Some((client_id, contact)) = clients.get(&summary.client).cloned() else {
                continue;
            };
            if done {
                continue;
            }
            let st = status(
                summary.expires_at,
                summary.status.reason.as_deref(),
                now,
                own,
            );
            out.push(Due {
                client_id,
                contact,
                revision: summary.revision,
                summary,
                milestone,
                st,
                own,
            });
        }
        Ok(out)
    }
}

/// A credential's columns as an alert needs them.
const CANDIDATE_COLUMNS: &str =
    "SELECT cr.uid, c.name, c.portal, cr.kind, cr.label, cr.identity, cr.apple_account,
            cr.expires_at, cr.revision, cr.error, c.warn_days, c.id, c.contact_email";

/// Where [`CANDIDATE_COLUMNS`] come from.
const CANDIDATE_FROM: &str = "FROM credentials cr JOIN clients c ON c.id = cr.client_id";

/// One row of [`CANDIDATE_COLUMNS`] as the alert to queue for `milestone`.
fn due_row(
    r: &crate::db::Row<'_>,
    now: DateTime<Utc>,
    thresholds: Thresholds,
    milestone: &str,
) -> crate::db::SqlResult<Due> {
    let expires_at = r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts);
    let error = r.get_ref(9)?.as_str_or_null()?;
    let window = r
        .get::<Option<u32>>(10)?
        .unwrap_or(thresholds.renewal_window_days);
    let own = Thresholds {
        renewal_window_days: window,
        ..thresholds
    };
    let st = status(expires_at, error, now, own);
    let summary = CredentialSummary {
        uid: r.get(0)?,
        client: r.get(1)?,
        portal: Portal::parse(r.get_ref(2)?.as_str()?).unwrap_or_default(),
        kind: super::super::listing::kind_from_id(r.get_ref(3)?.as_str()?),
        label: r.get(4)?,
        identity: r.get(5)?,
        apple_account: r.get(6)?,
        expires_at,
        revision: r.get(8)?,
        status: st.clone(),
        renewal_window_days: window,
        source: crate::mdm::Source::File,
        mdm: None,
    };
    Ok(Due {
        client_id: r.get(11)?,
        contact: r.get(12)?,
        revision: summary.revision,
        summary,
        milestone: milestone.to_owned(),
        st,
        own,
    })
}

#[cfg(test)]
mod tests;
