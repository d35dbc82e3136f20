//! The durable outbox: due alerts become messages, one per channel (never one per credential),
//! in the one transaction that records them as due, so a crash loses none and a second process
//! (the app and `tokenkeeper watch` on one database) never queues one twice. Senders claim a
//! message for a lease, deliver it, and record the outcome; a failure is tried again later.

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use crate::args;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::channels::{ChannelKind, ChannelSecret, ChannelSettings};
use super::{Vault, new_uid, ts};
use crate::alerts::{self, AlertItem, AlertMessage};
use crate::error::{Error, Result};
use crate::status::{Status, Thresholds};
use crate::summary::CredentialSummary;

mod candidates;
mod delivery;

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
            let mut record = tx.prepare(
                "INSERT INTO alerts (credential_uid, revision, milestone, queued_at)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            )?;
            let queued_at = ts(now);
            let mut due = Vec::with_capacity(candidates.len());
            for d in candidates {
                // Another process may have queued it since the read: once only.
                if record.execute(args![d.summary.uid, d.revision, d.milestone, queued_at])? == 0 {
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
            let mut write_item = tx.prepare(
                "INSERT INTO alert_items (client_id, credential_uid, client, portal, kind, label,
                     identity, apple_account, expires_at, milestone, state, days_left, reason,
                     window_days, grace_days)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 RETURNING id",
            )?;
            let (mut first_item, mut last_item) = (0, -1);
            for (i, d) in due.iter().enumerate() {
                let c = &d.summary;
                let id: i64 = write_item.query_row(
                    args![
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
                    ],
                    |r| r.get(0),
                )?;
                if i == 0 {
                    first_item = id;
                }
                last_item = id;
            }
            let mut insert = tx.prepare(
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
                insert.execute(args![
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
                insert.execute(args![
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

    /// The channels and the clients each serves.
    fn routes(&self) -> Result<Vec<Route>> {
        let conn = self.db.sql();
        let mut stmt = conn.prepare(
            "SELECT ch.id, ch.kind, ch.all_clients,
                    (SELECT group_concat(client_id) FROM channel_clients WHERE channel_id = ch.id)
             FROM channels ch ORDER BY ch.id",
        )?;
        let rows = stmt.query_map(args![], |r| {
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
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
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

fn json_error(e: impl std::fmt::Display) -> Error {
    Error::InvalidInput {
        message: format!("an alert could not be written: {e}"),
    }
}
