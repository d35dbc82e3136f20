//! Which reminders are due, purely from the credentials, what was already sent and `now`.
//!
//! Each credential walks a series of milestones: 30, 14, 7, 3 and 1 days before expiry (a
//! setting), at expiry, every 7 days during the grace period and daily in its last 7 days, at
//! lapse, and at once when it enters Error. Each (credential, revision, milestone) fires once; a
//! renewal bumps the revision and starts the series afresh. After a long sleep only the latest
//! milestone passed is due, never a burst of stale ones. Several due together are grouped into
//! one notification.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::overview::credential_name;
use crate::status::{State, Thresholds, status};
use crate::summary::CredentialSummary;

/// The reminder settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Milestones {
    /// Days before expiry to remind at (defaults 30, 14, 7, 3, 1).
    pub days_before: Vec<u32>,
    /// During grace, remind every this many days (default 7; 0 turns it off).
    pub grace_every_days: u32,
    /// Remind daily in the last this many days of grace (default 7).
    pub grace_daily_last_days: u32,
}

impl Default for Milestones {
    fn default() -> Self {
        Self {
            days_before: vec![30, 14, 7, 3, 1],
            grace_every_days: 7,
            grace_daily_last_days: 7,
        }
    }
}

/// One reminder due for one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// The credential.
    pub uid: String,
    /// Its revision: a renewal starts the series afresh.
    pub revision: u32,
    /// Which milestone (`before-30`, `expiry`, `grace-7`, `lapse`, `error`).
    pub milestone: String,
    /// When the milestone was reached.
    pub at: DateTime<Utc>,
    /// The client.
    pub client: String,
    /// What it is, in words ("APNs certificate", "ADE token \"Cupertino ABM\"").
    pub what: String,
    /// The state now.
    pub state: State,
    /// Whole days left (negative once expired).
    pub days_left: Option<i64>,
    /// The Error reason, if any.
    pub reason: Option<String>,
}

/// A notification: one or several reminders grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    /// Title naming the client and the credential (or how many).
    pub title: String,
    /// What to do.
    pub body: String,
    /// The credential to open when clicked (the most urgent one).
    pub open_uid: Option<String>,
    /// The reminders it carries, to record as sent.
    pub reminders: Vec<Reminder>,
}

/// Identifies a reminder already sent: (credential, revision, milestone).
pub type SentKey = (String, u32, String);

fn what(s: &CredentialSummary) -> String {
    format!("{} \"{}\"", credential_name(s.kind), s.label)
}

/// A credential's milestones as offsets from its expiry, in time order: the same for every
/// credential with one warning threshold, so it is worked out once per threshold, not once per
/// credential (a pass over 10,000 credentials spent most of its time rebuilding and sorting
/// these lists).
#[derive(Debug, Clone)]
struct Schedule {
    /// The renewal window it was made for.
    window: u32,
    /// (seconds from expiry, milestone), ascending, one milestone per moment.
    steps: Vec<(i64, String)>,
}

impl Schedule {
    fn new(thresholds: Thresholds, m: &Milestones) -> Self {
        const DAY: i64 = 86_400;
        // The day the renewal window opens (the client's warning threshold) is always a
        // milestone.
        let window = thresholds.renewal_window_days;
        let mut steps: Vec<(i64, String)> = m
            .days_before
            .iter()
            .copied()
            .chain((window > 0 && !m.days_before.contains(&window)).then_some(window))
            .map(|d| (-i64::from(d) * DAY, format!("before-{d}")))
            .collect();
        steps.push((0, "expiry".to_owned()));
        let grace = i64::from(thresholds.grace_days);
        let daily_from = grace - i64::from(m.grace_daily_last_days);
        let every = i64::from(m.grace_every_days);
        for day in 1..grace {
            let weekly = every > 0 && day % every == 0;
            if weekly || day > daily_from {
                steps.push((day * DAY, format!("grace-{day}")));
            }
        }
        steps.push((grace * DAY, "lapse".to_owned()));
        // Stable: of two milestones at one moment, the first listed stays.
        steps.sort_by_key(|(at, _)| *at);
        steps.dedup_by_key(|(at, _)| *at);
        Self { window, steps }
    }

    fn at(expiry: DateTime<Utc>, offset: i64) -> DateTime<Utc> {
        expiry + Duration::seconds(offset)
    }

    /// How many milestones have passed at `now`: `expiry + offset <= now`, compared as
    /// whole seconds and nanoseconds from expiry (one subtraction, not one date per probe).
    fn passed(&self, expiry: DateTime<Utc>, now: DateTime<Utc>) -> usize {
        let since = now - expiry;
        let (secs, nanos) = (since.num_seconds(), since.subsec_nanos());
        self.steps
            .partition_point(|(offset, _)| *offset < secs || (*offset == secs && nanos >= 0))
    }

    /// The latest milestone passed at `now`.
    fn latest(&self, expiry: DateTime<Utc>, now: DateTime<Utc>) -> Option<(&str, DateTime<Utc>)> {
        let passed = self.passed(expiry, now);
        let (offset, name) = self.steps.get(passed.checked_sub(1)?)?;
        Some((name.as_str(), Self::at(expiry, *offset)))
    }

    /// The first milestone after `now`.
    fn next(&self, expiry: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let passed = self.passed(expiry, now);
        self.steps
            .get(passed)
            .map(|(offset, _)| Self::at(expiry, *offset))
    }
}

/// The schedules of one pass, one per warning threshold met (a handful at most).
#[derive(Debug, Default)]
pub struct Schedules(Vec<Schedule>);

impl Schedules {
    /// The first milestone after `now` of a credential expiring at `expiry` under its own
    /// `thresholds`.
    pub(crate) fn next_after(
        &mut self,
        expiry: DateTime<Utc>,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        m: &Milestones,
    ) -> Option<DateTime<Utc>> {
        self.of(thresholds, m).next(expiry, now)
    }

    fn of(&mut self, thresholds: Thresholds, m: &Milestones) -> &Schedule {
        let window = thresholds.renewal_window_days;
        let i = match self.0.iter().position(|s| s.window == window) {
            Some(i) => i,
            None => {
                self.0.push(Schedule::new(thresholds, m));
                self.0.len() - 1
            }
        };
        &self.0[i]
    }
}

/// The reminders due at `now`: for each credential, its latest milestone passed, if not sent.
pub fn due(
    credentials: &[CredentialSummary],
    sent: &HashSet<SentKey>,
    now: DateTime<Utc>,
    thresholds: Thresholds,
    milestones: &Milestones,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    let mut schedules = Schedules::default();
    for c in credentials {
        let Some(r) = latest_in(c, now, thresholds, milestones, &mut schedules) else {
            continue;
        };
        // Past the lapse reminder, nothing more: the credential must be re-created.
        if sent.contains(&(c.uid.clone(), c.revision, r.milestone.clone())) {
            continue;
        }
        out.push(r);
    }
    out
}

/// The latest milestone `c` has passed at `now`, as a reminder (whether sent or not).
pub fn latest(
    c: &CredentialSummary,
    now: DateTime<Utc>,
    thresholds: Thresholds,
    milestones: &Milestones,
) -> Option<Reminder> {
    latest_in(c, now, thresholds, milestones, &mut Schedules::default())
}

/// The name of the latest milestone passed at `now` by a credential expiring at `expires_at`
/// (with `reason` when in Error), under its own `thresholds`: [`latest`] without building the
/// reminder.
pub fn latest_milestone<'a>(
    expires_at: Option<DateTime<Utc>>,
    reason: Option<&str>,
    now: DateTime<Utc>,
    thresholds: Thresholds,
    milestones: &Milestones,
    schedules: &'a mut Schedules,
) -> Option<&'a str> {
    if status(expires_at, reason, now, thresholds).state == State::Error {
        return Some("error");
    }
    schedules
        .of(thresholds, milestones)
        .latest(expires_at?, now)
        .map(|(name, _)| name)
}

/// [`latest`] with the schedules of a pass over many credentials, worked out once each.
pub fn latest_in(
    c: &CredentialSummary,
    now: DateTime<Utc>,
    thresholds: Thresholds,
    milestones: &Milestones,
    schedules: &mut Schedules,
) -> Option<Reminder> {
    let thresholds = c.thresholds(thresholds);
    let st = status(c.expires_at, c.status.reason.as_deref(), now, thresholds);
    let (milestone, at) = if st.state == State::Error {
        ("error".to_owned(), now)
    } else {
        let e = c.expires_at?;
        let (name, at) = schedules.of(thresholds, milestones).latest(e, now)?;
        (name.to_owned(), at)
    };
    Some(Reminder {
        uid: c.uid.clone(),
        revision: c.revision,
        milestone,
        at,
        client: c.client.clone(),
        what: what(c),
        state: st.state,
        days_left: st.days_left,
        reason: st.reason,
    })
}

/// The earlier of two moments, either of which may be absent.
pub fn earliest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The next moment a reminder can become due (for the scheduler to sleep until), if any.
pub fn next_due(
    credentials: &[CredentialSummary],
    now: DateTime<Utc>,
    thresholds: Thresholds,
    milestones: &Milestones,
) -> Option<DateTime<Utc>> {
    let mut schedules = Schedules::default();
    credentials
        .iter()
        .filter_map(|c| Some((c.expires_at?, c.thresholds(thresholds))))
        .filter_map(|(e, thresholds)| schedules.of(thresholds, milestones).next(e, now))
        .min()
}

fn phrase(r: &Reminder, thresholds: Thresholds) -> String {
    crate::words::notification_phrase(r.state, r.days_left, r.reason.as_deref(), thresholds)
}

fn advice(r: &Reminder) -> &'static str {
    crate::words::notification_advice(r.state)
}

/// Groups due reminders into notifications: one for a single reminder, one summary for several
/// (most urgent first), never a burst.
pub fn group(mut reminders: Vec<Reminder>, thresholds: Thresholds) -> Option<Notification> {
    reminders.sort_by_key(|r| (std::cmp::Reverse(r.state.urgency()), r.days_left));
    let first = reminders.first()?;
    let open_uid = Some(first.uid.clone());
    let (title, body) = if let [only] = reminders.as_slice() {
        (
            format!(
                "{}: {} {}",
                only.client,
                only.what,
                phrase(only, thresholds)
            ),
            advice(only).to_owned(),
        )
    } else {
        let urgent = reminders
            .iter()
            .filter(|r| r.state != State::RenewalRequired && r.state != State::Active)
            .count();
        let title = if urgent > 0 {
            format!(
                "{} credentials need attention ({urgent} expired or in error)",
                reminders.len()
            )
        } else {
            format!("{} credentials need renewal", reminders.len())
        };
        let mut lines: Vec<String> = reminders
            .iter()
            .take(5)
            .map(|r| format!("{}: {} {}", r.client, r.what, phrase(r, thresholds)))
            .collect();
        if reminders.len() > 5 {
            lines.push(format!("and {} more", reminders.len() - 5));
        }
        (title, lines.join("\n"))
    };
    Some(Notification {
        title,
        body,
        open_uid,
        reminders,
    })
}

#[cfg(test)]
mod tests;
