//! The background scheduler: a thread with its own connection to the vault that sleeps until the
//! next reminder, channel delivery or scheduled Apple check is due, computed from the data, never a fast poll.
//!
//! While asleep it wakes when a command has run (the bell) or at most once a minute, and then
//! only reads SQLite's data version and compares the wall clock with the monotonic one: a
//! change made by another process (the command line), a clock jump, or a resume from sleep
//! (the monotonic clock stops while suspended) leads to a full pass; anything else goes back to
//! sleep at once.

mod link;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokenkeeper_core::Vault;
use tokenkeeper_core::overview::Overview;
use tokenkeeper_core::reminders::{Notification, earliest};

use crate::state::{Bell, Wake};

pub use link::{COPY_EVERY, Link, Open, RECONNECT, Swap};

/// The longest the scheduler sleeps without looking at the clocks and the data version.
pub const MAX_NAP: Duration = Duration::from_secs(60);
/// A wall clock that moved this much more (or less) than the monotonic one jumped, or the
/// machine slept.
const CLOCK_SLACK: Duration = Duration::from_secs(5);
/// How long to wait before showing again a notification the system refused.
const RETRY_DELIVERY: chrono::Duration = chrono::Duration::minutes(5);
/// Urgent credentials listed in the tray menu.
pub const TRAY_ITEMS: usize = tokenkeeper_core::overview::URGENT_LINES;

/// Shows a notification to the user.
pub trait Deliver: Send {
    /// Shows it; an error means the user did not see it (it is retried at the next pass).
    ///
    /// # Errors
    /// No notification service, or it refused.
    fn deliver(&self, n: &Notification) -> Result<(), String>;
}

/// What one pass did.
#[derive(Debug)]
pub struct Pass {
    /// The notification shown, if one was due and delivered.
    pub delivered: Option<Notification>,
    /// How many credentials were checked with Apple.
    pub checked: usize,
    /// When the next pass is due (a reminder or a scheduled check); `None`: nothing ahead.
    pub next: Option<DateTime<Utc>>,
    /// The state of the whole vault, for the tray.
    pub overview: Overview,
    /// The pass followed a change made outside this app (the command line): the window
    /// should reload.
    pub external_change: bool,
}

/// The scheduler's own vault, how it notifies, and who hears about each pass.
pub struct Scheduler<D: Deliver> {
    vault: Vault,
    deliver: D,
    on_pass: Box<dyn Fn(&Pass) + Send>,
    /// The team's server, for a team's vault.
    link: Option<Link>,
}

impl<D: Deliver> Scheduler<D> {
    /// A scheduler over its own connection to the vault.
    pub fn new(vault: Vault, deliver: D, on_pass: impl Fn(&Pass) + Send + 'static) -> Self {
        Self {
            vault,
            deliver,
            on_pass: Box::new(on_pass),
            link: None,
        }
    }

    /// Follows the team's server: the copy kept, the move to it and back (see [`Link`]).
    #[must_use]
    pub fn with_link(mut self, link: Link) -> Self {
        self.link = Some(link);
        self
    }

    /// The scheduler's vault (tests read its audit log).
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// One pass at `now`: scheduled Apple checks that are due (all of them when `check_now`),
    /// then the reminders due, grouped into one notification, recorded once delivered.
    ///
    /// # Errors
    /// The vault cannot be read or written.
    pub fn pass(&mut self, now: DateTime<Utc>, check_now: bool) -> tokenkeeper_core::Result<Pass> {
        // A copy shown while the team's server is away: reminders only (checks, MDM syncs and
        // channel deliveries need the server, to record what they did).
        let read_only = self.vault.read_only().is_some();
        let checked = if read_only {
            0
        } else {
            self.run_checks(now, check_now)?
        };
        // One listing of the credentials serves the reminders, the next moment and the tray.
        let reminders = self.vault.reminder_pass(now)?;
        let mut delivered = None;
        let mut retry = None;
        if let Some(n) = reminders.notification {
            match self.deliver.deliver(&n) {
                Ok(()) => {
                    self.vault.mark_notified(&n, now)?;
                    delivered = Some(n);
                }
                Err(e) => {
                    // No notification service yet (a desktop still starting): try again later,
                    // not in a loop.
                    eprintln!("tokenkeeper: notification not shown ({e}); retrying in 5 minutes");
                    retry = Some(now + RETRY_DELIVERY);
                }
            }
        }
        // The team's channels: due alerts queued once (shared with `tokenkeeper watch`), then
        // whatever is due in the outbox delivered.
        let next = if read_only {
            earliest(reminders.next, retry)
        } else {
            self.vault.queue_alerts(now)?;
            tokenkeeper_channels::deliver_due(
                &mut self.vault,
                &Utc::now,
                tokenkeeper_channels::TIMEOUT,
            )?;
            earliest(
                earliest(reminders.next, self.vault.next_scheduled_check(now)?),
                earliest(
                    earliest(retry, self.vault.next_delivery_at()?),
                    self.vault.next_mdm_sync()?,
                ),
            )
        };
        let failing = self
            .vault
            .channels()?
            .into_iter()
            .filter(|c| c.health.problem)
            .map(|c| c.name)
            .collect();
        let overview = reminders.overview.with_failing_channels(failing);
        Ok(Pass {
            delivered,
            checked,
            next,
            overview,
            external_change: false,
        })
    }

    fn run_checks(&mut self, now: DateTime<Utc>, all: bool) -> tokenkeeper_core::Result<usize> {
        // The MDM connections beside the Apple checks: those due, or all on "Check now".
        let options = tokenkeeper_mdm::SyncOptions::default();
        if all {
            tokenkeeper_mdm::sync(&mut self.vault, None, now, options)?;
        } else {
            tokenkeeper_mdm::sync_due(&mut self.vault, now, options)?;
        }
        let due = self
            .vault
            .next_scheduled_check(now)?
            .is_some_and(|at| at <= now);
        if !all && !due {
            return Ok(0);
        }
        let endpoints = self.vault.apple_endpoints()?;
        let results = if all {
            self.vault.check_all(now, &endpoints)?
        } else {
            self.vault.check_due(now, &endpoints)?
        };
        Ok(results.len())
    }

    /// Runs forever: a pass, then sleep until the next is due or something changed.
    pub fn run(mut self, bell: &Bell) {
        // Keychain items left by an import or removal that was killed: found from the journal
        // the vault keeps, never one an attempt in flight (younger than the grace) still needs.
        if let Err(e) = self
            .vault
            .sweep_secrets(Utc::now(), tokenkeeper_core::STAGING_GRACE)
        {
            eprintln!("tokenkeeper: leftover keychain items were not cleaned up: {e}");
        }
        let mut woke = Woke::Started;
        loop {
            let now = Utc::now();
            let next = match self.pass(now, woke == Woke::CheckNow) {
                Ok(mut pass) => {
                    pass.external_change = woke == Woke::ChangedElsewhere;
                    (self.on_pass)(&pass);
                    crate::settle(&self.vault);
                    earliest(pass.next, self.keep_copy(now))
                }
                Err(e) if self.server_left(&e) => {
                    // Reminders go on from the copy at once.
                    self.go_away(now);
                    woke = Woke::ChangedElsewhere;
                    continue;
                }
                Err(e) => {
                    eprintln!("tokenkeeper: reminder pass failed: {e}");
                    Some(now + chrono::Duration::minutes(5))
                }
            };
            woke = self.sleep(earliest(next, self.reconnect_at(Utc::now())), bell);
            if self.is_away() {
                self.try_back();
                if !self.is_away() {
                    woke = Woke::ChangedElsewhere;
                }
            }
        }
    }

    /// Sleeps until `next`, a change to the data, a clock jump or resume, or "Check now".
    fn sleep(&self, next: Option<DateTime<Utc>>, bell: &Bell) -> Woke {
        let version = self.vault.data_version().ok();
        loop {
            let wall = Utc::now();
            let mono = Instant::now();
            let nap = nap_length(next, wall);
            if nap.is_zero() {
                return Woke::Due;
            }
            let rung = bell.wait(nap);
            if rung == Some(Wake::CheckNow) {
                return Woke::CheckNow;
            }
            if self.is_away() {
                // The change listener got through: the server is back, try it now. The
                // window's reads ring too, but the copy they read does not change: the server
                // is tried again every `RECONNECT` only.
                if rung == Some(Wake::Notified) {
                    return Woke::ChangedElsewhere;
                }
            } else if self.vault.data_version().ok() != version {
                // Rung by a command of this app, whose window already shows the change; found
                // on its own, or told by the team's server, the change came from elsewhere
                // (the command line, another desktop).
                return if rung.is_some() && rung != Some(Wake::Notified) {
                    Woke::ChangedHere
                } else {
                    Woke::ChangedElsewhere
                };
            }
            if clock_jumped(wall, mono, Utc::now()) {
                return Woke::ClockJumped;
            }
        }
    }
}

/// Why the scheduler ran a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Woke {
    Started,
    Due,
    CheckNow,
    ChangedHere,
    ChangedElsewhere,
    ClockJumped,
}

/// How long to sleep before looking again: until `next`, at most [`MAX_NAP`].
pub fn nap_length(next: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Duration {
    next.map_or(MAX_NAP, |at| {
        (at - now).to_std().unwrap_or(Duration::ZERO).min(MAX_NAP)
    })
}

/// Whether the wall clock moved differently from the monotonic one since (`wall`, `mono`):
/// the clock was set, or the machine slept (the monotonic clock stops while suspended).
fn clock_jumped(wall: DateTime<Utc>, mono: Instant, wall_now: DateTime<Utc>) -> bool {
    let wall_elapsed = wall_now - wall;
    let mono_elapsed = chrono::Duration::from_std(mono.elapsed()).unwrap_or(chrono::Duration::MAX);
    let drift = (wall_elapsed - mono_elapsed).abs();
    drift > chrono::Duration::from_std(CLOCK_SLACK).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, h, m, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn naps_last_until_the_next_moment_but_never_past_a_minute() {
        assert_eq!(nap_length(None, at(9, 0)), MAX_NAP);
        assert_eq!(nap_length(Some(at(12, 0)), at(9, 0)), MAX_NAP);
        assert_eq!(
            nap_length(Some(at(9, 0) + chrono::Duration::seconds(7)), at(9, 0)),
            Duration::from_secs(7)
        );
        assert_eq!(nap_length(Some(at(8, 0)), at(9, 0)), Duration::ZERO);
    }

    #[test]
    fn a_wall_clock_that_leaps_ahead_of_the_monotonic_one_is_a_jump() {
        let mono = Instant::now();
        let wall = Utc::now();
        assert!(!clock_jumped(
            wall,
            mono,
            wall + chrono::Duration::seconds(1)
        ));
        // Two hours of wall time in an instant: the machine slept, or the clock was set.
        assert!(clock_jumped(wall, mono, wall + chrono::Duration::hours(2)));
        // Set back an hour.
        assert!(clock_jumped(wall, mono, wall - chrono::Duration::hours(1)));
    }

    #[test]
    fn the_earliest_of_two_optional_moments() {
        assert_eq!(earliest(None, None), None);
        assert_eq!(earliest(Some(at(9, 0)), None), Some(at(9, 0)));
        assert_eq!(earliest(None, Some(at(8, 0))), Some(at(8, 0)));
        assert_eq!(earliest(Some(at(9, 0)), Some(at(8, 0))), Some(at(8, 0)));
    }
}
