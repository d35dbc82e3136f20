//! The settings a technician changes, read and saved in one place for the desktop app and the
//! command line: the renewal window and grace period, where Apple's services are, the time limit
//! of a check, the scheduled checks, and snoozing reminders. A change writes (and logs) only
//! what differs from what is saved.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CheckSchedule, Vault};
use crate::apple::{APPS_AND_BOOKS_URL, AppleEndpoints, DEVICE_ASSIGNMENT_URL};
use crate::error::Result;
use crate::status::Thresholds;

/// The longest snooze: reminders must not go quiet for longer than a month by mistake.
pub const MAX_SNOOZE_HOURS: u32 = 24 * 30;

/// Where the checks go and whether they run on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckSettings {
    /// Base URL of the Device Assignment API (Apple's, a simulator, a test server).
    pub device_assignment_url: String,
    /// Base URL of the Apps and Books API v2.
    pub apps_and_books_url: String,
    /// Time limit of one call, in seconds (1 to 600).
    pub timeout_seconds: u32,
    /// Scheduled checks: off until the user opts in.
    pub schedule: CheckSchedule,
}

/// What to change; `None` keeps the saved value. A URL of `default` means Apple's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsChange {
    /// Days before expiry when renewal becomes required.
    pub renewal_window_days: Option<u32>,
    /// Days after expiry during which a renewal still avoids re-enrollment.
    pub grace_days: Option<u32>,
    /// Base URL of the Device Assignment API.
    pub device_assignment_url: Option<String>,
    /// Base URL of the Apps and Books API v2.
    pub apps_and_books_url: Option<String>,
    /// Time limit of one call, in seconds.
    pub timeout_seconds: Option<u32>,
    /// The scheduled checks.
    pub schedule: Option<CheckSchedule>,
}

impl From<&CheckSettings> for SettingsChange {
    fn from(s: &CheckSettings) -> Self {
        SettingsChange {
            device_assignment_url: Some(s.device_assignment_url.clone()),
            apps_and_books_url: Some(s.apps_and_books_url.clone()),
            timeout_seconds: Some(s.timeout_seconds),
            schedule: Some(s.schedule),
            ..SettingsChange::default()
        }
    }
}

/// `default` (any case, spaces around) names Apple's own address.
fn url_or_default(given: &str, default: &str) -> String {
    if given.trim().eq_ignore_ascii_case("default") {
        default.to_owned()
    } else {
        given.to_owned()
    }
}

impl Vault {
    /// The check settings as saved.
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub fn check_settings(&self) -> Result<CheckSettings> {
        let endpoints = self.apple_endpoints()?;
        Ok(CheckSettings {
            device_assignment_url: endpoints.device_assignment,
            apps_and_books_url: endpoints.apps_and_books,
            timeout_seconds: u32::try_from(endpoints.timeout.as_secs()).unwrap_or(u32::MAX),
            schedule: self.check_schedule()?,
        })
    }

    /// Saves what `change` sets and differs from what is saved (each change logged once).
    ///
    /// # Errors
    /// [`crate::Error::InvalidInput`] for a value out of range or an address that is not
    /// `https://` (or `http://` on loopback); [`crate::Error::Database`].
    pub fn change_settings(&mut self, change: &SettingsChange, now: DateTime<Utc>) -> Result<()> {
        let current = self.thresholds()?;
        let thresholds = Thresholds {
            renewal_window_days: change
                .renewal_window_days
                .unwrap_or(current.renewal_window_days),
            grace_days: change.grace_days.unwrap_or(current.grace_days),
        };
        if thresholds != current {
            self.set_thresholds(thresholds, now)?;
        }
        let saved = self.apple_endpoints()?;
        let endpoints = AppleEndpoints {
            device_assignment: change
                .device_assignment_url
                .as_deref()
                .map_or(saved.device_assignment.clone(), |u| {
                    url_or_default(u, DEVICE_ASSIGNMENT_URL)
                }),
            apps_and_books: change
                .apps_and_books_url
                .as_deref()
                .map_or(saved.apps_and_books.clone(), |u| {
                    url_or_default(u, APPS_AND_BOOKS_URL)
                }),
            timeout: change
                .timeout_seconds
                .map_or(saved.timeout, |s| Duration::from_secs(u64::from(s))),
        };
        if endpoints != saved {
            self.set_apple_endpoints(&endpoints, now)?;
        }
        if let Some(schedule) = change.schedule {
            if schedule != self.check_schedule()? {
                self.set_check_schedule(schedule, now)?;
            }
        }
        Ok(())
    }

    /// Saves the check settings the app's settings page shows, and returns them as saved.
    ///
    /// # Errors
    /// As [`Vault::change_settings`].
    pub fn set_check_settings(
        &mut self,
        settings: &CheckSettings,
        now: DateTime<Utc>,
    ) -> Result<CheckSettings> {
        self.change_settings(&SettingsChange::from(settings), now)?;
        self.check_settings()
    }

    /// Snoozes reminders for `hours` (at most [`MAX_SNOOZE_HOURS`]).
    ///
    /// # Errors
    /// [`crate::Error::Database`].
    pub fn snooze_for(&mut self, hours: u32, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let until = now + chrono::Duration::hours(i64::from(hours.min(MAX_SNOOZE_HOURS)));
        self.snooze_until(until, now)?;
        Ok(until)
    }
}
