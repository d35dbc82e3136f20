//! The alerts a scheduler pass finds due: read in one query, or from the reconciled listing
//! when an MDM holds something.

use crate::args;
use chrono::{DateTime, Utc};

use super::super::{Vault, parse_ts};
use super::Due;
use crate::error::Result;
use crate::reminders;
use crate::status::{Thresholds, status};
use crate::summary::{CredentialSummary, Portal};

impl Vault {
    /// Every credential whose latest milestone at `now` was not queued yet, as the alert to
    /// queue, read in one query (the milestones already queued for its revision come with it).
    pub(super) fn candidates(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &reminders::Milestones,
    ) -> Result<Vec<Due>> {
        if self.mdm_holds_anything()? {
            return self.reconciled_candidates(now, thresholds, milestones);
        }
        let mut stmt = self.db.sql().prepare(
            "SELECT cr.uid, c.name, c.portal, cr.kind, cr.label, cr.identity, cr.apple_account,
                    cr.expires_at, cr.revision, cr.error, c.warn_days, c.id, c.contact_email,
                    (SELECT group_concat(milestone, ' ') FROM alerts a
                     WHERE a.credential_uid = cr.uid AND a.revision = cr.revision)
             FROM credentials cr JOIN clients c ON c.id = cr.client_id",
        )?;
        let mut schedules = reminders::Schedules::default();
        let rows = stmt.query_map(args![], |r| {
            let expires_at = r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts);
            let error = r.get_ref(9)?.as_str_or_null()?;
            let window = r
                .get::<Option<u32>>(10)?
                .unwrap_or(thresholds.renewal_window_days);
            let own = Thresholds {
                renewal_window_days: window,
                ..thresholds
            };
            // Whether its latest milestone is still to be queued, decided before anything is
            // copied out of the row: in the steady state nearly every row stops here.
            let queued = r.get_ref(13)?.as_str_or_null()?.unwrap_or_default();
            let Some(milestone) = reminders::latest_milestone(
                expires_at,
                error,
                now,
                own,
                milestones,
                &mut schedules,
            )
            .filter(|m| !queued.split(' ').any(|q| q == *m))
            .map(str::to_owned) else {
                return Ok(None);
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
            Ok(Some(Due {
                client_id: r.get(11)?,
                contact: r.get(12)?,
                revision: summary.revision,
                summary,
                milestone,
                st,
                own,
            }))
        })?;
        let mut out = Vec::new();
        for row in rows {
            if let Some(d) = row? {
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
