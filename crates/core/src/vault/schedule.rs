//! Checks with Apple over time: where Apple's services are (settings), whether checks run on
//! a schedule the user opted into (daily once on), which credentials are due, and when the next
//! scheduled check is. The desktop shell sleeps until [`Vault::next_scheduled_check`], then calls
//! [`Vault::check_due`].

use crate::args;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::checks::{CheckResult, Outcome};
use super::{Vault, events, parse_ts};
use crate::apple::{AppleEndpoints, Service};
use crate::error::{Error, Result};
use crate::vault::EventKind;

/// After a check that could not reach Apple, the scheduler tries again this much later.
const RETRY_UNREACHABLE: Duration = Duration::hours(1);

/// Whether TokenKeeper checks with Apple on its own, and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckSchedule {
    /// Off until the user opts in.
    pub enabled: bool,
    /// Hours between two checks of a credential (24: daily).
    pub interval_hours: u32,
}

impl Default for CheckSchedule {
    fn default() -> Self {
        Self {
            enabled: false,
            interval_hours: 24,
        }
    }
}

impl Vault {
    /// Where Apple's services are: the settings, else Apple's own addresses.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn apple_endpoints(&self) -> Result<AppleEndpoints> {
        let d = AppleEndpoints::default();
        let timeout = self
            .setting("check_timeout_seconds")?
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|s| *s > 0)
            .map_or(d.timeout, std::time::Duration::from_secs);
        Ok(AppleEndpoints {
            device_assignment: self
                .setting("device_assignment_url")?
                .unwrap_or(d.device_assignment),
            apps_and_books: self
                .setting("apps_and_books_url")?
                .unwrap_or(d.apps_and_books),
            timeout,
        })
    }

    /// Saves where Apple's services are (Apple's simulators, a test server) and the time limit.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an address that is not https (or http to this computer), or
    /// a time limit outside 1 to 600 seconds; [`Error::Database`].
    pub fn set_apple_endpoints(&mut self, e: &AppleEndpoints, now: DateTime<Utc>) -> Result<()> {
        let dep = AppleEndpoints::base_url(&e.device_assignment)?;
        let vpp = AppleEndpoints::base_url(&e.apps_and_books)?;
        let secs = e.timeout.as_secs();
        if !(1..=600).contains(&secs) {
            return Err(Error::InvalidInput {
                message: "the time limit of a check must be between 1 and 600 seconds".to_owned(),
            });
        }
        let d = AppleEndpoints::default();
        self.db.write(|tx| {
            for (key, value, default) in [
                ("device_assignment_url", dep.clone(), d.device_assignment),
                ("apps_and_books_url", vpp.clone(), d.apps_and_books),
                ("check_timeout_seconds", secs.to_string(), d.timeout.as_secs().to_string()),
            ] {
                if value == default {
                    tx.execute("DELETE FROM settings WHERE key = ?1", args![key])?;
                } else {
                    tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        args![key, value],
                    )?;
                }
            }
            events::append(
                tx,
                now,
                EventKind::SettingsChanged,
                None,
                None,
                &format!("Apple's addresses: Device Assignment {dep}, Apps and Books {vpp}; time limit {secs} s"),
            )
        })
    }

    /// Whether checks run on a schedule (off until the user opts in; daily once on).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn check_schedule(&self) -> Result<CheckSchedule> {
        let d = CheckSchedule::default();
        Ok(CheckSchedule {
            enabled: self.setting("check_schedule")?.as_deref() == Some("on"),
            interval_hours: self
                .setting("check_interval_hours")?
                .and_then(|v| v.parse().ok())
                .filter(|h| *h > 0)
                .unwrap_or(d.interval_hours),
        })
    }

    /// Turns scheduled checks on or off, and sets their interval.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an interval outside 1 hour to 31 days; [`Error::Database`].
    pub fn set_check_schedule(&mut self, s: CheckSchedule, now: DateTime<Utc>) -> Result<()> {
        if !(1..=744).contains(&s.interval_hours) {
            return Err(Error::InvalidInput {
                message: "checks can run every 1 to 744 hours (31 days)".to_owned(),
            });
        }
        self.db.write(|tx| {
            for (key, value) in [
                (
                    "check_schedule",
                    if s.enabled { "on" } else { "off" }.to_owned(),
                ),
                ("check_interval_hours", s.interval_hours.to_string()),
            ] {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    args![key, value],
                )?;
            }
            let message = if s.enabled {
                format!("checks with Apple every {} hours", s.interval_hours)
            } else {
                "scheduled checks with Apple off".to_owned()
            };
            events::append(tx, now, EventKind::SettingsChanged, None, None, &message)
        })
    }

    /// The scheduled run: checks the credentials whose next check is due at `now`. Nothing
    /// while the schedule is off. The desktop shell calls it at [`Vault::next_scheduled_check`].
    ///
    /// # Errors
    /// As [`Vault::check_all`].
    pub fn check_due(
        &mut self,
        now: DateTime<Utc>,
        endpoints: &AppleEndpoints,
    ) -> Result<Vec<CheckResult>> {
        let schedule = self.check_schedule()?;
        if !schedule.enabled {
            return Ok(Vec::new());
        }
        let due: Vec<String> = self
            .due_times(schedule)?
            .into_iter()
            .filter(|(_, at)| *at <= now)
            .map(|(uid, _)| uid)
            .collect();
        let targets = self
            .targets("", "")?
            .into_iter()
            .filter(|t| due.contains(&t.uid))
            .collect();
        self.run_checks(targets, now, endpoints)
    }

    /// When the next scheduled check is due (`now` when one is overdue); `None` while the
    /// schedule is off or nothing can be checked. Honours the time a busy service asked to wait.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn next_scheduled_check(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let schedule = self.check_schedule()?;
        if !schedule.enabled {
            return Ok(None);
        }
        Ok(self
            .due_times(schedule)?
            .into_iter()
            .map(|(_, at)| at.max(now))
            .min())
    }

    /// The last check at Apple that answered, per service (`device_assignment`,
    /// `apps_and_books`), for monitoring.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn last_successful_checks(&self) -> Result<Vec<(String, DateTime<Utc>)>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT service, MAX(checked_at) FROM checks WHERE outcome != 'could_not_check'
             GROUP BY service ORDER BY service",
        )?;
        let rows = stmt.query_map(args![], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (service, at) = row?;
            if let Some(at) = parse_ts(&at) {
                out.push((service, at));
            }
        }
        Ok(out)
    }

    /// When Apple asked this service to be left alone until, if that is still ahead.
    pub(super) fn busy_until(
        &self,
        service: Service,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>> {
        let until: Option<String> = self.db.sql().query_row(
            "SELECT MAX(retry_after) FROM checks WHERE service = ?1",
            args![service.id()],
            |r| r.get(0),
        )?;
        Ok(until.as_deref().and_then(parse_ts).filter(|u| *u > now))
    }

    /// When each checkable credential is next due: never checked, at once; after an answer,
    /// one interval later; after no answer, an hour later; never before a `Retry-After`.
    fn due_times(&self, schedule: CheckSchedule) -> Result<Vec<(String, DateTime<Utc>)>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT cr.uid, cr.kind, cr.created_at, k.checked_at, k.outcome,
                    (SELECT MAX(retry_after) FROM checks WHERE service = CASE cr.kind
                        WHEN 'content_token' THEN 'apps_and_books' ELSE 'device_assignment' END)
             FROM credentials cr
             LEFT JOIN checks k ON k.id =
                (SELECT MAX(id) FROM checks WHERE credential_uid = cr.uid)
             WHERE cr.kind IN ('server_token', 'content_token') AND cr.secret_ref IS NOT NULL",
        )?;
        let interval = Duration::hours(i64::from(schedule.interval_hours));
        let rows = stmt.query_map(args![], |r| {
            let created = parse_ts(r.get_ref(2)?.as_str()?).unwrap_or_default();
            let checked = r.get_ref(3)?.as_str_or_null()?.and_then(parse_ts);
            let outcome = r.get_ref(4)?.as_str_or_null()?.map(Outcome::parse);
            let busy = r.get_ref(5)?.as_str_or_null()?.and_then(parse_ts);
            let due = match (checked, outcome) {
                (Some(at), Some(Outcome::CouldNotCheck)) => at + RETRY_UNREACHABLE,
                (Some(at), _) => at + interval,
                (None, _) => created,
            };
            Ok((r.get::<String>(0)?, busy.map_or(due, |b| due.max(b))))
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }
}
