//! The alert pass that reads only the credentials within reach gives what reading every row
//! gives (the pass before issue 21's step, kept here as the reference).

use chrono::{DateTime, Duration, Utc};

use super::super::Due;
use crate::args;
use crate::error::Result;
use crate::reminders::{self, Milestones};
use crate::status::{Thresholds, status};
use crate::summary::{CredentialSummary, Portal};
use crate::vault::sample::{start, vault};
use crate::vault::{Vault, parse_ts};

impl Vault {
    /// Every credential whose latest milestone at `now` was not queued yet, as the alert to
    /// queue, read in one query (the milestones already queued for its revision come with it).
    pub(super) fn candidates_by_full_scan(
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
                kind: crate::vault::listing::kind_from_id(r.get_ref(3)?.as_str()?),
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
}

/// What an alert says, to compare two passes.
fn seen(due: &[Due]) -> Vec<String> {
    due.iter()
        .map(|d| {
            format!(
                "{} {} {} {:?} {:?} {:?} {:?}",
                d.client_id, d.revision, d.milestone, d.contact, d.st, d.own, d.summary
            )
        })
        .collect()
}

/// Hour after hour through eight months, under two sets of milestones, as alerts are queued
/// (now and then one is left unqueued: it stays due).
#[test]
fn the_alert_pass_that_reads_little_agrees_with_reading_every_row() {
    let v = vault();
    let thresholds = v.thresholds().expect("thresholds");
    let plans = [
        Milestones::default(),
        Milestones {
            days_before: vec![120, 10],
            grace_every_days: 3,
            grace_daily_last_days: 2,
        },
    ];
    let mut compared = 0;
    let mut queued = 0;
    for milestones in &plans {
        let mut now: DateTime<Utc> = start() - Duration::days(20);
        let end = start() + Duration::days(240);
        while now < end {
            let quick = v.candidates(now, thresholds, milestones).expect("quick");
            let full = v
                .candidates_by_full_scan(now, thresholds, milestones)
                .expect("full");
            assert_eq!(seen(&quick), seen(&full), "at {now}");
            compared += 1;
            for (i, d) in quick.iter().enumerate() {
                if (compared + i) % 4 != 0 {
                    v.db.sql()
                        .execute(
                            "INSERT INTO alerts (credential_uid, revision, milestone, queued_at)
                             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                            args![
                                d.summary.uid,
                                d.revision,
                                d.milestone,
                                "2026-01-01T00:00:00Z"
                            ],
                        )
                        .expect("queued");
                    queued += 1;
                }
            }
            now += Duration::minutes(397);
        }
        v.db.sql()
            .execute("DELETE FROM alerts", args![])
            .expect("a new plan starts afresh");
    }
    assert!(
        compared > 1_000 && queued > 50,
        "{compared} passes, {queued} queued"
    );
}
