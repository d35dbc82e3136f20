//! Delivering the outbox: messages claimed for a lease and put together from their items,
//! each outcome recorded (the channel's health, the event log, the next attempt), and the test
//! message of "Send test message".

use crate::args;
use chrono::{DateTime, Utc};

use super::super::channels::ChannelKind;
use super::super::{EventKind, Vault, events, new_uid, parse_ts, ts};
use super::{Delivery, DeliveryFailure, json_error};
use crate::alerts::{self, AlertMessage, CLAIM_LEASE};
use crate::error::Result;
use crate::status::{State, Status, Thresholds};
use crate::summary::{CredentialSummary, Portal};

impl Vault {
    /// Claims up to `max` messages due for delivery at `now`, for [`CLAIM_LEASE`]: no other
    /// process takes them meanwhile. A channel whose secret cannot be read gets a failed
    /// attempt instead.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn claim_deliveries(&mut self, now: DateTime<Utc>, max: usize) -> Result<Vec<Delivery>> {
        let claimed = self.db.write(|tx| {
            let mut stmt = tx.prepare(
                "SELECT o.id, o.extra_to, o.body, o.attempts, ch.name, ch.kind, ch.settings,
                        ch.secret_ref, o.first_item, o.last_item, o.clients
                 FROM outbox o JOIN channels ch ON ch.id = o.channel_id
                 WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ?1
                   AND (o.claimed_until IS NULL OR o.claimed_until <= ?1)
                 ORDER BY o.id LIMIT ?2",
            )?;
            let max = i64::try_from(max).unwrap_or(i64::MAX);
            let rows = stmt.query_map(args![ts(now), max], |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<u32>(3)?,
                    r.get::<String>(4)?,
                    r.get::<String>(5)?,
                    r.get::<String>(6)?,
                    r.get::<String>(7)?,
                    (r.get::<i64>(8)?, r.get::<i64>(9)?),
                    r.get::<Option<String>>(10)?,
                ))
            })?;
            let rows = rows.collect::<crate::db::SqlResult<Vec<_>>>()?;
            drop(stmt);
            let mut lease = tx.prepare("UPDATE outbox SET claimed_until = ?1 WHERE id = ?2")?;
            let mut claimed = Vec::with_capacity(rows.len());
            for (id, extra_to, header, attempts, name, kind, settings, account, range, clients) in
                rows
            {
                lease.execute(args![ts(now + CLAIM_LEASE), id])?;
                // A message that cannot be put together is reported unreadable below.
                let whole = assemble(tx, &header, range, clients.as_deref()).ok();
                claimed.push((id, extra_to, whole, attempts, name, kind, settings, account));
            }
            Ok(claimed)
        })?;
        let mut out = Vec::with_capacity(claimed.len());
        for (id, extra_to, whole, attempts, name, kind, settings, account) in claimed {
            let secret = self.channel_secret(&account, &name);
            match (whole, secret) {
                (Some((message, body)), Ok(secret)) => out.push(Delivery {
                    outbox_id: Some(id),
                    kind: ChannelKind::parse(&kind).unwrap_or(ChannelKind::Webhook),
                    settings: super::super::channels::settings_of(&settings),
                    secret,
                    extra_to: serde_json::from_str(&extra_to).unwrap_or_default(),
                    message,
                    body,
                    attempts,
                    channel: name,
                }),
                (None, _) => self.delivery_failed(
                    id,
                    &DeliveryFailure {
                        message: "the queued message is unreadable".to_owned(),
                        retry_after: None,
                    },
                    now,
                )?,
                (_, Err(e)) => self.delivery_failed(
                    id,
                    &DeliveryFailure {
                        message: e.to_string(),
                        retry_after: None,
                    },
                    now,
                )?,
            }
        }
        Ok(out)
    }

    /// Records a message as delivered (and the channel as healthy).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn delivered(&mut self, outbox_id: i64, now: DateTime<Utc>) -> Result<()> {
        self.db.write(|tx| {
            let (channel_id, name, body): (i64, String, String) = tx.query_row(
                "SELECT o.channel_id, ch.name, o.body FROM outbox o
                 JOIN channels ch ON ch.id = o.channel_id WHERE o.id = ?1",
                args![outbox_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            tx.execute(
                "UPDATE outbox SET delivered_at = ?1, claimed_until = NULL, last_error = NULL
                 WHERE id = ?2",
                args![ts(now), outbox_id],
            )?;
            // Items no waiting message refers to any more are let go.
            tx.execute(
                "DELETE FROM alert_items WHERE id < COALESCE(
                     (SELECT MIN(first_item) FROM outbox WHERE delivered_at IS NULL),
                     (SELECT MAX(id) + 1 FROM alert_items))",
                args![],
            )?;
            Self::record_channel_outcome(tx, channel_id, Ok(()), now)?;
            let title = serde_json::from_str::<AlertMessage>(&body)
                .map(|m| m.title)
                .unwrap_or_default();
            events::append(
                tx,
                now,
                EventKind::AlertDelivered,
                None,
                None,
                &format!("delivered to channel \"{name}\": {title}"),
            )
        })
    }

    /// Records a failed attempt: the message is tried again after a backoff (never before the
    /// receiver's `Retry-After`), and the channel counts one more failure.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn delivery_failed(
        &mut self,
        outbox_id: i64,
        failure: &DeliveryFailure,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.db.write(|tx| {
            let (channel_id, name, attempts): (i64, String, u32) = tx.query_row(
                "SELECT o.channel_id, ch.name, o.attempts FROM outbox o
                 JOIN channels ch ON ch.id = o.channel_id WHERE o.id = ?1",
                args![outbox_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let attempts = attempts.saturating_add(1);
            let next = alerts::next_attempt(now, attempts, failure.retry_after);
            tx.execute(
                "UPDATE outbox SET attempts = ?1, next_attempt_at = ?2, claimed_until = NULL,
                        last_error = ?3 WHERE id = ?4",
                args![attempts, ts(next), failure.message, outbox_id],
            )?;
            Self::record_channel_outcome(tx, channel_id, Err(&failure.message), now)?;
            events::append(
                tx,
                now,
                EventKind::AlertFailed,
                None,
                None,
                &format!(
                    "channel \"{name}\": {} (attempt {attempts}; next at {})",
                    failure.message,
                    ts(next)
                ),
            )
        })
    }

    /// A test message for a channel ("Send test message"), ready for its transport.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::KeychainUnavailable`], [`Error::Database`].
    pub fn test_delivery(&self, name: &str, now: DateTime<Utc>) -> Result<Delivery> {
        let ch = self.channel(name)?;
        let account: String = self.db.sql().query_row(
            "SELECT secret_ref FROM channels WHERE uid = ?1",
            args![&ch.uid],
            |r| r.get(0),
        )?;
        let secret = self.channel_secret(&account, &ch.name)?;
        let message = alerts::test_message(new_uid(), &ch.name, now);
        let body = serde_json::to_string(&message).map_err(json_error)?;
        Ok(Delivery {
            outbox_id: None,
            channel: ch.name,
            kind: ch.kind,
            settings: ch.settings,
            secret,
            extra_to: Vec::new(),
            message,
            body,
            attempts: 0,
        })
    }

    /// Records how a test message went, in the channel's health and the event log.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn record_test(
        &mut self,
        name: &str,
        outcome: std::result::Result<(), &str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let ch = self.channel(name)?;
        self.db.write(|tx| {
            let id: i64 = tx.query_row(
                "SELECT id FROM channels WHERE uid = ?1",
                args![&ch.uid],
                |r| r.get(0),
            )?;
            Self::record_channel_outcome(tx, id, outcome, now)?;
            let (kind, message) = match outcome {
                Ok(()) => (
                    EventKind::AlertDelivered,
                    format!("test message delivered to channel \"{}\"", ch.name),
                ),
                Err(e) => (
                    EventKind::AlertFailed,
                    format!("test message to channel \"{}\" failed: {e}", ch.name),
                ),
            };
            events::append(tx, now, kind, None, None, &message)
        })
    }

    /// When the next waiting message is due (the scheduler sleeps until then), if any.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>> {
        let at: Option<String> = self.db.sql().query_row(
            "SELECT MIN(CASE WHEN claimed_until > next_attempt_at THEN claimed_until
                             ELSE next_attempt_at END)
             FROM outbox WHERE delivered_at IS NULL",
            args![],
            |r| r.get(0),
        )?;
        Ok(at.as_deref().and_then(parse_ts))
    }
}

/// A queued message whole: its header with the items of its range that belong to its clients
/// (all when `clients` is `None`) as `alerts`, in order, and its JSON.
fn assemble(
    conn: &crate::db::Sql<'_>,
    header: &str,
    range: (i64, i64),
    clients: Option<&str>,
) -> Result<(AlertMessage, String)> {
    let mut message: AlertMessage = serde_json::from_str(header).map_err(json_error)?;
    let clients: Option<std::collections::HashSet<i64>> = match clients {
        Some(c) => Some(
            serde_json::from_str::<Vec<i64>>(c)
                .map_err(json_error)?
                .into_iter()
                .collect(),
        ),
        None => None,
    };
    let mut stmt = conn.prepare(
        "SELECT client_id, credential_uid, client, portal, kind, label, identity, apple_account,
                expires_at, milestone, state, days_left, reason, window_days, grace_days
         FROM alert_items WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    )?;
    stmt.query_each(args![range.0, range.1], |r| -> Result<bool> {
        let client: i64 = r.get(0)?;
        if clients.as_ref().is_some_and(|c| !c.contains(&client)) {
            return Ok(true);
        }
        let expires_at = r.get_ref(8)?.as_str_or_null()?.and_then(parse_ts);
        let state_id: String = r.get(10)?;
        let st = Status {
            state: State::parse(&state_id)
                .ok_or_else(|| json_error(format!("unknown state {state_id}")))?,
            days_left: r.get(11)?,
            reason: r.get(12)?,
        };
        let own = Thresholds {
            renewal_window_days: r.get(13)?,
            grace_days: r.get(14)?,
        };
        let portal: String = r.get(3)?;
        let kind: String = r.get(4)?;
        let summary = CredentialSummary {
            uid: r.get(1)?,
            client: r.get(2)?,
            portal: Portal::parse(&portal).unwrap_or_default(),
            kind: super::super::listing::kind_from_id(&kind),
            label: r.get(5)?,
            identity: r.get(6)?,
            apple_account: r.get(7)?,
            expires_at,
            revision: 0,
            status: st.clone(),
            renewal_window_days: own.renewal_window_days,
            source: crate::mdm::Source::File,
            mdm: None,
        };
        message
            .alerts
            .push(alerts::item_of(summary, r.get(9)?, &st, own));
        Ok(true)
    })?;
    let body = serde_json::to_string(&message).map_err(json_error)?;
    Ok((message, body))
}
