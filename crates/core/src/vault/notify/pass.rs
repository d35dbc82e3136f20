//! A scheduler pass that reads only the credentials that can matter at `now`.
//!
//! A credential whose expiry lies beyond every reminder milestone and every renewal window is
//! Active and has nothing due, whatever else it holds: the pass reads the others through the
//! expiry index (in a vault of 100,000 credentials with expiries spread over two years, about
//! one in eight), counts the rest, and reads in full only the handful it shows: the reminders
//! due and the most urgent lines of the tray. Listing the whole vault for each pass was 175 of
//! its 215 ms at 100,000 credentials (callgrind: row reads, string copies and the sort).
//!
//! It gives exactly what the full listing gives (a test compares the two): the same
//! notification, the same next moment, the same overview. When an MDM holds something, a
//! disagreement can put any credential in Error, so the pass reads the reconciled listing
//! instead.

use crate::args;
use chrono::{DateTime, Utc};

use super::super::reach::{Reach, within_reach_sql};
use super::super::{Vault, parse_ts};
use super::ReminderPass;
use crate::error::Result;
use crate::overview::{self, Overview};
use crate::reminders::{self, Milestones, Schedules, earliest};
use crate::status::{State, Thresholds, status};

/// A credential that is not Active, as the tray orders them: its urgency, its days left
/// (unknown last) and its row.
type Pressing = (u8, i64, i64);

impl Vault {
    /// [`Vault::reminder_pass`] when no MDM holds anything: see the module's documentation.
    pub(super) fn file_pass(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &Milestones,
        snoozed: Option<DateTime<Utc>>,
    ) -> Result<ReminderPass> {
        let conn = self.db.sql();
        let within = Reach::new(&conn, now, thresholds, milestones)?;
        let own = |client_id: i64| within.own(client_id);

        let total: i64 =
            conn.query_row("SELECT COUNT(*) FROM credentials", args![], |r| r.get(0))?;
        let mut counts = [0usize; 5];
        let mut pressing: Vec<Pressing> = Vec::new();
        let mut due: Vec<i64> = Vec::new();
        let mut next: Option<DateTime<Utc>> = None;
        let mut schedules = Schedules::default();
        let mut seen = 0usize;
        {
            // With the milestones already sent for the revision.
            let mut stmt = conn.prepare(&within_reach_sql("reminders_sent"))?;
            stmt.query_each(args![within.horizon], |r| -> crate::db::SqlResult<bool> {
                seen += 1;
                let id: i64 = r.get(0)?;
                let own = own(r.get(1)?);
                let expires_at = text(r, 2)?.and_then(parse_ts);
                let error = text(r, 3)?;
                let st = status(expires_at, error, now, own);
                counts[usize::from(st.state.urgency())] += 1;
                if st.state != State::Active {
                    pressing.push((st.state.urgency(), st.days_left.unwrap_or(i64::MAX), id));
                }
                if snoozed.is_some() {
                    return Ok(true);
                }
                if let Some(e) = expires_at {
                    next = earliest(next, schedules.next_after(e, now, own, milestones));
                }
                let sent = text(r, 4)?.unwrap_or_default();
                let milestone = reminders::latest_milestone(
                    expires_at,
                    error,
                    now,
                    own,
                    milestones,
                    &mut schedules,
                );
                if milestone.is_some_and(|m| !sent.split(' ').any(|s| s == m)) {
                    due.push(id);
                }
                Ok(true)
            })?;
        }
        // Everything else is Active.
        counts[usize::from(State::Active.urgency())] +=
            usize::try_from(total).unwrap_or(0).saturating_sub(seen);
        if snoozed.is_none() {
            next = earliest(next, self.next_beyond(&within, now, milestones, next)?);
        }

        let notification = match snoozed {
            Some(_) => None,
            None => {
                let listed = self.summaries_by_id(&due, now, thresholds)?;
                let shown_read_only = self.notified_read_only_keys();
                let reminders = listed
                    .iter()
                    .filter_map(|c| {
                        reminders::latest_in(c, now, thresholds, milestones, &mut schedules)
                    })
                    .filter(|r| {
                        !shown_read_only.contains(&(r.uid.clone(), r.revision, r.milestone.clone()))
                    })
                    .collect();
                reminders::group(reminders, thresholds)
            }
        };
        let shown = self.summaries_by_id(&most_urgent(pressing), now, thresholds)?;
        Ok(ReminderPass {
            notification,
            next: snoozed.or(next),
            overview: Overview::of_counts(counts, &shown, thresholds, overview::URGENT_LINES),
            thresholds,
        })
    }

    /// The first milestone of the credentials beyond reach, read in expiry order until none can
    /// come before `before` (or the first found): each one's first milestone is at most the
    /// reach before its expiry.
    fn next_beyond(
        &self,
        within: &Reach,
        now: DateTime<Utc>,
        milestones: &Milestones,
        before: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT expires_at, client_id FROM credentials
             WHERE expires_at > ?1 ORDER BY expires_at",
        )?;
        let mut best = before;
        let mut schedules = Schedules::default();
        stmt.query_each(args![within.horizon], |r| -> crate::db::SqlResult<bool> {
            let Some(e) = text(r, 0)?.and_then(parse_ts) else {
                return Ok(true);
            };
            if best.is_some_and(|b| e - within.reach >= b) {
                return Ok(false);
            }
            best = earliest(
                best,
                schedules.next_after(e, now, within.own(r.get(1)?), milestones),
            );
            Ok(true)
        })?;
        Ok(best)
    }
}

/// The rows that can be among the tray's most urgent lines: those that sort before the
/// `URGENT_LINES`th by state and days left, and every row tied with it (names decide then).
fn most_urgent(mut pressing: Vec<Pressing>) -> Vec<i64> {
    pressing.sort_unstable_by_key(|&(urgency, days, id)| (std::cmp::Reverse(urgency), days, id));
    let Some(&(urgency, days, _)) = pressing.get(overview::URGENT_LINES.saturating_sub(1)) else {
        return pressing.into_iter().map(|p| p.2).collect();
    };
    pressing
        .into_iter()
        .take_while(|p| (std::cmp::Reverse(p.0), p.1) <= (std::cmp::Reverse(urgency), days))
        .map(|p| p.2)
        .collect()
}

/// Column `i` of `r` as text, borrowed.
fn text<'r>(r: &'r crate::db::Row<'_>, i: usize) -> crate::db::SqlResult<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null()
}

#[cfg(test)]
mod tests {
    use crate::vault::sample::{milestone_plans, start, vault};
    use chrono::Duration;

    /// The pass that reads only what can matter gives what the whole listing gives, hour after
    /// hour through eight months, as reminders are sent, under two sets of milestones and
    /// through a snooze.
    #[test]
    fn the_pass_that_reads_little_agrees_with_the_whole_listing() {
        let mut v = vault();
        let thresholds = v.thresholds().expect("thresholds");
        let mut compared = 0;
        let mut notified = 0;
        for milestones in &milestone_plans() {
            let mut now = start() - Duration::days(20);
            let end = start() + Duration::days(240);
            while now < end {
                let snoozed = (compared % 11 == 5).then_some(now + Duration::hours(3));
                let quick = v
                    .file_pass(now, thresholds, milestones, snoozed)
                    .expect("quick pass");
                let full = v
                    .listed_pass(now, thresholds, milestones, snoozed)
                    .expect("listed pass");
                assert_eq!(quick.notification, full.notification, "at {now}");
                assert_eq!(quick.next, full.next, "at {now}");
                assert_eq!(quick.overview, full.overview, "at {now}");
                compared += 1;
                if let Some(n) = &quick.notification {
                    // Now and then one goes unseen: it stays due.
                    if compared % 3 != 0 {
                        v.mark_notified(n, now).expect("sent");
                        notified += 1;
                    }
                }
                now += Duration::minutes(397);
            }
        }
        assert!(
            compared > 1_000 && notified > 50,
            "{compared} passes, {notified} sent"
        );
    }
}
