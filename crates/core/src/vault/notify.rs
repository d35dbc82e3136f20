//! Reminders kept across restarts: which are due now (grouped into one notification), marking
//! them sent, when the next one can be due, the milestone settings and the snooze.

use std::collections::HashSet;

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};

mod pass;

use super::{Vault, events, parse_ts, ts};
use crate::error::{Error, Result};
use crate::overview::{Overview, URGENT_LINES};
use crate::reminders::{self, Milestones, Notification, SentKey};
use crate::status::Thresholds;
use crate::vault::EventKind;

/// One look at the reminders: see [`Vault::reminder_pass`].
#[derive(Debug, Clone)]
pub struct ReminderPass {
    /// The notification due now, every due reminder grouped; none while snoozed.
    pub notification: Option<Notification>,
    /// When a reminder can next become due (the end of a snooze while snoozed).
    pub next: Option<DateTime<Utc>>,
    /// The whole vault at that moment, for the tray (no failing channels yet).
    pub overview: Overview,
    /// The thresholds the states were computed with.
    pub thresholds: Thresholds,
}

impl Vault {
    /// The reminder milestones the user chose (defaults: 30, 14, 7, 3, 1 days before; weekly,
    /// then daily, in grace).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn milestones(&self) -> Result<Milestones> {
        Ok(self
            .setting("milestones")?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Saves the reminder milestones.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for days past a year; [`Error::Database`].
    pub fn set_milestones(&mut self, m: &Milestones, now: DateTime<Utc>) -> Result<()> {
        if m.days_before.iter().any(|&d| d == 0 || d > 365) {
            return Err(Error::InvalidInput {
                message: "reminder days must be between 1 and 365".to_owned(),
            });
        }
        let json = serde_json::to_string(m).map_err(|e| Error::InvalidInput {
            message: e.to_string(),
        })?;
        self.set_setting("milestones", &json, now, "reminder milestones changed")
    }

    /// Until when reminders are paused, if they are.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn snoozed_until(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self.setting("snoozed_until")?.as_deref().and_then(parse_ts))
    }

    /// Pauses every reminder until `until` ("snooze all for a day").
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn snooze_until(&mut self, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
        self.set_setting(
            "snoozed_until",
            &ts(until),
            now,
            &format!("reminders snoozed until {}", ts(until)),
        )
    }

    /// The notification due now, if any: every due reminder grouped into one. Nothing while
    /// snoozed.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn pending_notification(&self, now: DateTime<Utc>) -> Result<Option<Notification>> {
        Ok(self.reminder_pass(now)?.notification)
    }

    /// What a scheduler pass needs: the notification due now (none while snoozed), when the
    /// next can be due, and the overview for the tray. Reads only the credentials within reach
    /// of a milestone (see [`pass`]) unless an MDM holds something.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn reminder_pass(&self, now: DateTime<Utc>) -> Result<ReminderPass> {
        let thresholds = self.thresholds()?;
        let milestones = self.milestones()?;
        let snoozed = self.snoozed_until()?.filter(|until| now < *until);
        if self.mdm_holds_anything()? {
            self.listed_pass(now, thresholds, &milestones, snoozed)
        } else {
            self.file_pass(now, thresholds, &milestones, snoozed)
        }
    }

    /// [`Vault::reminder_pass`] from the whole reconciled listing: an MDM's disagreement can put
    /// any credential in Error.
    fn listed_pass(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &Milestones,
        snoozed: Option<DateTime<Utc>>,
    ) -> Result<ReminderPass> {
        let summaries = self.summaries(now)?;
        let notification = match snoozed {
            Some(_) => None,
            None => reminders::group(
                reminders::due(&summaries, &self.sent()?, now, thresholds, milestones),
                thresholds,
            ),
        };
        // Reminders that came due during a snooze are still pending when it ends.
        let next = snoozed.or_else(|| reminders::next_due(&summaries, now, thresholds, milestones));
        Ok(ReminderPass {
            notification,
            next,
            overview: Overview::of(&summaries, thresholds, URGENT_LINES),
            thresholds,
        })
    }

    /// Records a notification as delivered: its reminders never fire again for this revision.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn mark_notified(&mut self, n: &Notification, now: DateTime<Utc>) -> Result<()> {
        if self.db.read_only().is_some() {
            // Bookkeeping, not a change the user made: kept here until the data is writable
            // again (see [`Vault::take_notified_read_only`]).
            self.notified_read_only.push((n.clone(), now));
            return Ok(());
        }
        self.db.write(|tx| {
            for r in &n.reminders {
                tx.execute(
                    "INSERT INTO reminders_sent (credential_uid, revision, milestone, sent_at)
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    args![r.uid, r.revision, r.milestone, ts(now)],
                )?;
            }
            events::append(
                tx,
                now,
                EventKind::NotificationSent,
                None,
                None,
                &format!("{}: {}", n.title, n.body.replace('\n', "; ")),
            )
        })
    }

    /// When a reminder can next become due (the scheduler sleeps until then); while snoozed,
    /// the end of the snooze (what came due meanwhile is shown then).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn next_reminder_at(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.reminder_pass(now)?.next)
    }

    /// Changes whenever another connection commits: see [`crate::db::Db::data_version`].
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn data_version(&self) -> Result<i64> {
        self.db.data_version()
    }

    /// Moves whenever anyone commits: see [`crate::db::Db::change_stamp`].
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn change_stamp(&self) -> Result<(i64, u64)> {
        self.db.change_stamp()
    }

    /// Frees the database connection's cached pages (see [`crate::db::Db::release_memory`]):
    /// a long-lived vault calls it after a pass over every credential.
    pub fn release_memory(&self) {
        self.db.release_memory();
    }

    fn sent(&self) -> Result<HashSet<SentKey>> {
        let mut stmt = self
            .db
            .sql()
            .prepare("SELECT credential_uid, revision, milestone FROM reminders_sent")?;
        let rows = stmt.query_map(args![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let mut sent = rows.collect::<crate::db::SqlResult<HashSet<_>>>()?;
        sent.extend(self.notified_read_only_keys());
        Ok(sent)
    }

    /// The reminders shown while this vault was read only, not recorded yet.
    pub(super) fn notified_read_only_keys(&self) -> HashSet<SentKey> {
        self.notified_read_only
            .iter()
            .flat_map(|(n, _)| &n.reminders)
            .map(|r| (r.uid.clone(), r.revision, r.milestone.clone()))
            .collect()
    }

    /// The notifications shown while this vault was read only, with when: to record them
    /// where the data is writable again ([`Vault::mark_notified`] on the team's server).
    pub fn take_notified_read_only(&mut self) -> Vec<(Notification, DateTime<Utc>)> {
        std::mem::take(&mut self.notified_read_only)
    }

    pub(crate) fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .db
            .sql()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                args![key],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set_setting(
        &mut self,
        key: &str,
        value: &str,
        now: DateTime<Utc>,
        message: &str,
    ) -> Result<()> {
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                args![key, value],
            )?;
            events::append(tx, now, EventKind::SettingsChanged, None, None, message)
        })
    }
}
