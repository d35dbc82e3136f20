//! The alert pass that reads only the credentials within reach gives what reading every row
//! gives (the pass before issue 21's step, kept here as the reference).

use chrono::{DateTime, Duration, Utc};

use super::super::Due;
use super::{CANDIDATE_COLUMNS, CANDIDATE_FROM, due_row};
use crate::args;
use crate::error::Result;
use crate::reminders::{self, Milestones};
use crate::status::Thresholds;
use crate::vault::sample::{milestone_plans, start, vault};
use crate::vault::{Vault, parse_ts};

impl Vault {
    /// The candidates as the pass before read them: every row, each with the milestones
    /// already queued for its revision.
    fn candidates_by_full_scan(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &Milestones,
    ) -> Result<Vec<Due>> {
        let mut stmt = self.db.sql().prepare(&format!(
            "{CANDIDATE_COLUMNS}, (SELECT group_concat(milestone, ' ') FROM alerts a
                                  WHERE a.credential_uid = cr.uid AND a.revision = cr.revision)
             {CANDIDATE_FROM}"
        ))?;
        let mut schedules = reminders::Schedules::default();
        let mut out = Vec::new();
        stmt.query_each(args![], |r| -> crate::db::SqlResult<bool> {
            let expires_at = r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts);
            let error = r.get_ref(9)?.as_str_or_null()?;
            let own = Thresholds {
                renewal_window_days: r
                    .get::<Option<u32>>(10)?
                    .unwrap_or(thresholds.renewal_window_days),
                ..thresholds
            };
            let queued = r.get_ref(13)?.as_str_or_null()?.unwrap_or_default();
            let milestone = reminders::latest_milestone(
                expires_at,
                error,
                now,
                own,
                milestones,
                &mut schedules,
            )
            .filter(|m| !queued.split(' ').any(|q| q == *m))
            .map(str::to_owned);
            if let Some(m) = milestone {
                out.push(due_row(r, now, thresholds, &m)?);
            }
            Ok(true)
        })?;
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
    let mut compared = 0;
    let mut queued = 0;
    for milestones in &milestone_plans() {
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
