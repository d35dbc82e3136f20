//! The durable outbox: due alerts become messages, one per channel (never one per credential),
//! in the one transaction that records them as due, so a crash loses none and a second process
//! (the app and `tokenkeeper watch` on one database) never queues one twice. Senders claim a
//! message for a lease, deliver it, and record the outcome; a failure is tried again later.

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::Serialize;

use super::channels::{ChannelKind, ChannelSecret, ChannelSettings};
use super::{EventKind, Vault, events, new_uid, parse_ts, ts};
use crate::alerts::{self, AlertItem, AlertMessage, CLAIM_LEASE};
use crate::error::{Error, Result};
use crate::reminders;
use crate::status::{State, Status, Thresholds, status};
use crate::summary::{CredentialSummary, Portal};

/// What one scheduler pass queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QueueReport {
    /// Credentials newly due (each once, whatever the number of channels).
    pub alerts: u32,
    /// Messages queued (one per channel, plus one per client contact address).
    pub messages: u32,
}

/// A message claimed for delivery, with what the transport needs. Holds the channel's secret:
/// never logged, never serialized.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The outbox row; `None` for a test message.
    pub outbox_id: Option<i64>,
    /// The channel's name.
    pub channel: String,
    /// What carries it.
    pub kind: ChannelKind,
    /// Its public settings.
    pub settings: ChannelSettings,
    /// Its secret, from the keychain.
    pub secret: ChannelSecret,
    /// For a client's own e-mail: its contact address, instead of the channel's recipients.
    pub extra_to: Vec<String>,
    /// The message.
    pub message: AlertMessage,
    /// The message exactly as stored: the generic webhook's body, signed as it is.
    pub body: String,
    /// Attempts before this one.
    pub attempts: u32,
}

/// Why a delivery failed, as the transport tells it (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFailure {
    /// What went wrong, in words.
    pub message: String,
    /// How long the receiver asked to wait (`Retry-After`).
    pub retry_after: Option<StdDuration>,
}

/// Where a channel's messages go: which clients it serves.
struct Route {
    id: i64,
    kind: ChannelKind,
    all: bool,
    clients: std::collections::HashSet<i64>,
}

impl Route {
    fn serves(&self, client: i64) -> bool {
        self.all || self.clients.contains(&client)
    }
}

/// A credential newly due, with its client's id and contact address.
struct Due {
    client_id: i64,
    contact: Option<String>,
    /// The credential's revision the alert is for (once per revision and milestone).
    revision: u32,
    /// The credential as listed (its state is in `st`).
    summary: CredentialSummary,
    /// The milestone that made it due.
    milestone: String,
    /// Its state when it became due.
    st: Status,
    /// Its own thresholds (its client's warning window).
    own: Thresholds,
}

impl Due {
    /// The alert item, in words.
    fn item(&self) -> AlertItem {
        alerts::item_of(
            self.summary.clone(),
            self.milestone.clone(),
            &self.st,
            self.own,
        )
    }
}

impl Vault {
    /// The scheduler pass: every alert due at `now` and not queued before is recorded and
    /// queued, grouped into one message per channel (plus one per client with a contact
    /// address, on its first e-mail channel), all in one transaction. Nothing is recorded
    /// while no channel exists, so a channel added later still gets what is due.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn queue_alerts(&mut self, now: DateTime<Utc>) -> Result<QueueReport> {
        let routes = self.routes()?;
        if routes.is_empty() {
            return Ok(QueueReport::default());
        }
        let thresholds = self.thresholds()?;
        let milestones = self.milestones()?;
        let candidates = self.candidates(now, thresholds, &milestones)?;
        if candidates.is_empty() {
            return Ok(QueueReport::default());
        }
        self.db.write(|tx| {
            let mut record = tx.prepare_cached(
                "INSERT OR IGNORE INTO alerts (credential_uid, revision, milestone, queued_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            let queued_at = ts(now);
            let mut due = Vec::with_capacity(candidates.len());
            for d in candidates {
                // Another process may have queued it since the read: once only.
                if record.execute(params![d.summary.uid, d.revision, d.milestone, queued_at])? == 0
                {
                    continue;
                }
                due.push(d);
            }
            if due.is_empty() {
                return Ok(QueueReport::default());
            }
            // Most urgent first, then soonest, then by client: references sorted, not the
            // items themselves (moving them was an eighth of the pass).
            let mut sorted: Vec<&Due> = due.iter().collect();
            sorted.sort_by(|a, b| {
                b.st.state
                    .urgency()
                    .cmp(&a.st.state.urgency())
                    .then(a.st.days_left.cmp(&b.st.days_left))
                    .then_with(|| a.summary.client.cmp(&b.summary.client))
            });
            let due = sorted;
            // Each item written once, in message order: one contiguous range of ids that every
            // channel's message refers to.
            let mut write_item = tx.prepare_cached(
                "INSERT INTO alert_items (client_id, credential_uid, client, portal, kind, label,
                     identity, apple_account, expires_at, milestone, state, days_left, reason,
                     window_days, grace_days)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
            let mut first_item = 0;
            for (i, d) in due.iter().enumerate() {
                let c = &d.summary;
                write_item.execute(params![
                    d.client_id,
                    c.uid,
                    c.client,
                    c.portal.id(),
                    c.kind.id(),
                    c.label,
                    c.identity,
                    c.apple_account,
                    c.expires_at.map(ts),
                    d.milestone,
                    d.st.state.id(),
                    d.st.days_left,
                    d.st.reason,
                    d.own.renewal_window_days,
                    d.own.grace_days
                ])?;
                if i == 0 {
                    first_item = tx.last_insert_rowid();
                }
            }
            let last_item = tx.last_insert_rowid();
            let mut insert = tx.prepare_cached(
                "INSERT INTO outbox (uid, channel_id, extra_to, body, first_item, last_item,
                                     clients, alerts, queued_at, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?;
            let mut messages = 0;
            for route in &routes {
                // Counted, not copied: a channel serving every client takes them all.
                let (mut count, mut urgent, mut only) = (0usize, 0usize, None);
                let mut ids: Vec<i64> = Vec::new();
                for d in due.iter().copied() {
                    if route.serves(d.client_id) {
                        count += 1;
                        urgent += usize::from(d.st.state.urgency() > 1);
                        only = Some(d);
                        if !route.all {
                            ids.push(d.client_id);
                        }
                    }
                }
                if count == 0 {
                    continue;
                }
                let clients = if route.all {
                    None
                } else {
                    ids.sort_unstable();
                    ids.dedup();
                    Some(serde_json::to_string(&ids).map_err(json_error)?)
                };
                let header = message_header(count, urgent, only.filter(|_| count == 1), now)?;
                insert.execute(params![
                    new_uid(),
                    route.id,
                    "[]",
                    header,
                    first_item,
                    last_item,
                    clients,
                    count as i64,
                    queued_at
                ])?;
                messages += 1;
            }
            // A client's own contact hears about its own credentials, once, by e-mail.
            let mut contacts: HashMap<(i64, &str), Vec<&Due>> = HashMap::new();
            for d in due.iter().copied() {
                if let Some(contact) = d.contact.as_deref() {
                    contacts.entry((d.client_id, contact)).or_default().push(d);
                }
            }
            let mut contacts: Vec<_> = contacts.into_iter().collect();
            contacts.sort_by_key(|((client, _), _)| *client);
            for ((client, contact), mine) in contacts {
                let Some(route) = routes
                    .iter()
                    .find(|r| r.kind == ChannelKind::Email && r.serves(client))
                else {
                    continue;
                };
                let to = serde_json::to_string(&[contact]).map_err(json_error)?;
                let urgent = mine.iter().filter(|d| d.st.state.urgency() > 1).count();
                let only = mine.first().copied().filter(|_| mine.len() == 1);
                let header = message_header(mine.len(), urgent, only, now)?;
                insert.execute(params![
                    new_uid(),
                    route.id,
                    to,
                    header,
                    first_item,
                    last_item,
                    format!("[{client}]"),
                    mine.len() as i64,
                    queued_at
                ])?;
                messages += 1;
            }
            Ok(QueueReport {
                alerts: u32::try_from(due.len()).unwrap_or(u32::MAX),
                messages,
            })
        })
    }

    /// Claims up to `max` messages due for delivery at `now`, for [`CLAIM_LEASE`]: no other
    /// process takes them meanwhile. A channel whose secret cannot be read gets a failed
    /// attempt instead.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn claim_deliveries(&mut self, now: DateTime<Utc>, max: usize) -> Result<Vec<Delivery>> {
        let claimed = self.db.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT o.id, o.extra_to, o.body, o.attempts, ch.name, ch.kind, ch.settings,
                        ch.secret_ref, o.first_item, o.last_item, o.clients
                 FROM outbox o JOIN channels ch ON ch.id = o.channel_id
                 WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ?1
                   AND (o.claimed_until IS NULL OR o.claimed_until <= ?1)
                 ORDER BY o.id LIMIT ?2",
            )?;
            let max = i64::try_from(max).unwrap_or(i64::MAX);
            let rows = stmt.query_map(params![ts(now), max], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    (r.get::<_, i64>(8)?, r.get::<_, i64>(9)?),
                    r.get::<_, Option<String>>(10)?,
                ))
            })?;
            let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
            drop(stmt);
            let mut lease =
                tx.prepare_cached("UPDATE outbox SET claimed_until = ?1 WHERE id = ?2")?;
            let mut claimed = Vec::with_capacity(rows.len());
            for (id, extra_to, header, attempts, name, kind, settings, account, range, clients) in
                rows
            {
                lease.execute(params![ts(now + CLAIM_LEASE), id])?;
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
                    settings: super::channels::settings_of(&settings),
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
                [outbox_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            tx.execute(
                "UPDATE outbox SET delivered_at = ?1, claimed_until = NULL, last_error = NULL
                 WHERE id = ?2",
                params![ts(now), outbox_id],
            )?;
            // Items no waiting message refers to any more are let go.
            tx.execute(
                "DELETE FROM alert_items WHERE id < COALESCE(
                     (SELECT MIN(first_item) FROM outbox WHERE delivered_at IS NULL),
                     (SELECT MAX(id) + 1 FROM alert_items))",
                [],
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
                [outbox_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let attempts = attempts.saturating_add(1);
            let next = alerts::next_attempt(now, attempts, failure.retry_after);
            tx.execute(
                "UPDATE outbox SET attempts = ?1, next_attempt_at = ?2, claimed_until = NULL,
                        last_error = ?3 WHERE id = ?4",
                params![attempts, ts(next), failure.message, outbox_id],
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
        let account: String = self.db.conn().query_row(
            "SELECT secret_ref FROM channels WHERE uid = ?1",
            [&ch.uid],
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
            let id: i64 =
                tx.query_row("SELECT id FROM channels WHERE uid = ?1", [&ch.uid], |r| {
                    r.get(0)
                })?;
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
        let at: Option<String> = self.db.conn().query_row(
            "SELECT MIN(MAX(next_attempt_at, COALESCE(claimed_until, ''))) FROM outbox
             WHERE delivered_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(at.as_deref().and_then(parse_ts))
    }

    /// The channels and the clients each serves.
    fn routes(&self) -> Result<Vec<Route>> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT ch.id, ch.kind, ch.all_clients,
                    (SELECT group_concat(client_id) FROM channel_clients WHERE channel_id = ch.id)
             FROM channels ch ORDER BY ch.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let clients: Option<String> = r.get(3)?;
            Ok(Route {
                id: r.get(0)?,
                kind: ChannelKind::parse(r.get_ref(1)?.as_str()?).unwrap_or(ChannelKind::Webhook),
                all: r.get(2)?,
                clients: clients
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|c| c.parse().ok())
                    .collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every credential whose latest milestone at `now` was not queued yet, as the alert to
    /// queue, read in one query (the milestones already queued for its revision come with it).
    fn candidates(
        &self,
        now: DateTime<Utc>,
        thresholds: Thresholds,
        milestones: &reminders::Milestones,
    ) -> Result<Vec<Due>> {
        let with_mdm: bool =
            self.db
                .conn()
                .query_row("SELECT EXISTS (SELECT 1 FROM mdm_items)", [], |r| r.get(0))?;
        if with_mdm {
            return self.reconciled_candidates(now, thresholds, milestones);
        }
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT cr.uid, c.name, c.portal, cr.kind, cr.label, cr.identity, cr.apple_account,
                    cr.expires_at, cr.revision, cr.error, c.warn_days, c.id, c.contact_email,
                    (SELECT group_concat(milestone, ' ') FROM alerts a
                     WHERE a.credential_uid = cr.uid AND a.revision = cr.revision)
             FROM credentials cr JOIN clients c ON c.id = cr.client_id",
        )?;
        let mut schedules = reminders::Schedules::default();
        let rows = stmt.query_map([], |r| {
            let expires_at = r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts);
            let error = r.get_ref(9)?.as_str_or_null()?;
            let window = r
                .get::<_, Option<u32>>(10)?
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
                kind: super::listing::kind_from_id(r.get_ref(3)?.as_str()?),
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
        let conn = self.db.conn();
        let clients: HashMap<String, (i64, Option<String>)> = conn
            .prepare_cached("SELECT name, id, contact_email FROM clients")?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        let queued: HashMap<(String, u32), String> = conn
            .prepare_cached(
                "SELECT credential_uid, revision, group_concat(milestone, ' ') FROM alerts
                 GROUP BY credential_uid, revision",
            )?
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
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

/// The JSON of a message's header for `count` items (`urgent` of them expired or in error;
/// `only`, when it is one): its title and summary, `alerts` empty (the items are put in when it
/// is claimed, see [`assemble`]).
fn message_header(
    count: usize,
    urgent: usize,
    only: Option<&Due>,
    now: DateTime<Utc>,
) -> Result<String> {
    let (title, summary) = match only {
        Some(only) => alerts::headline(&[only.item()]),
        None => alerts::headline_counts(count, urgent),
    };
    let header = AlertMessage {
        schema: alerts::SCHEMA.to_owned(),
        version: alerts::VERSION,
        id: new_uid(),
        created_at: now,
        test: false,
        title,
        summary,
        alerts: Vec::new(),
    };
    serde_json::to_string(&header).map_err(json_error)
}

/// A queued message whole: its header with the items of its range that belong to its clients
/// (all when `clients` is `None`) as `alerts`, in order, and its JSON.
fn assemble(
    conn: &rusqlite::Connection,
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
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, credential_uid, client, portal, kind, label, identity, apple_account,
                expires_at, milestone, state, days_left, reason, window_days, grace_days
         FROM alert_items WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    )?;
    let mut rows = stmt.query(params![range.0, range.1])?;
    while let Some(r) = rows.next()? {
        let client: i64 = r.get(0)?;
        if clients.as_ref().is_some_and(|c| !c.contains(&client)) {
            continue;
        }
        let expires_at = r
            .get_ref(8)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?
            .and_then(parse_ts);
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
            kind: super::listing::kind_from_id(&kind),
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
    }
    let body = serde_json::to_string(&message).map_err(json_error)?;
    Ok((message, body))
}

fn json_error(e: impl std::fmt::Display) -> Error {
    Error::InvalidInput {
        message: format!("an alert could not be written: {e}"),
    }
}
