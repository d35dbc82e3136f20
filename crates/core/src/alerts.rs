//! Alerts in the team's channels, purely: what a message says (the documented, versioned body
//! every channel is rendered from), the warning thresholds a client may choose, and when a
//! failed delivery is tried again. The vault queues messages ([`crate::Vault::queue_alerts`]);
//! the `tokenkeeper-channels` crate carries them.
//!
//! The generic webhook receives [`AlertMessage`] as JSON, exactly:
//!
//! ```json
//! {"schema": "tokenkeeper.alert", "version": 1, "id": "…", "created_at": "2027-03-04T09:00:00Z",
//!  "test": false, "title": "…", "summary": "…",
//!  "alerts": [{"credential_uid": "…", "client": "Acme", "kind": "push_certificate",
//!              "what": "APNs certificate", "label": "…", "identity_name": "Push topic",
//!              "identity": "com.apple.mgmt.…", "apple_account": "it@acme.example",
//!              "state": "renewal_required", "state_label": "Renewal Required",
//!              "days_left": 12, "expires_at": "2027-03-16T09:00:00Z", "milestone": "before-14",
//!              "phrase": "expires in 12 days", "advice": "…", "reason": null,
//!              "portal_url": "https://identity.apple.com"}]}
//! ```
//!
//! Fields are only ever added within a version; a removal or a change of meaning makes a new
//! `version`.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::reminders::Reminder;
use crate::status::{State, Status, Thresholds};
use crate::summary::{CredentialSummary, Portal};
use crate::token::Kind;
use crate::words;

/// `schema` of every alert body.
pub const SCHEMA: &str = "tokenkeeper.alert";
/// `version` of the body this TokenKeeper writes.
pub const VERSION: u32 = 1;
/// The warning thresholds a client (or the vault) may choose, in days before expiry.
pub const WARN_DAYS: [u32; 4] = [30, 45, 60, 90];
/// The Apple Push Certificates Portal, where APNs certificates are renewed.
pub const PUSH_PORTAL_URL: &str = "https://identity.apple.com";
/// How many credentials a chat message (Teams, Slack) lists before "and N more".
pub const CHAT_LIST_MAX: usize = 10;
/// The longest wait between two attempts of a delivery.
pub const MAX_BACKOFF: Duration = Duration::hours(1);
/// How long a sender may hold a message it claimed before another may take it over.
pub const CLAIM_LEASE: Duration = Duration::minutes(2);
/// Failed attempts in a row after which a channel is shown as a problem.
pub const FAILING_AFTER: u32 = 2;

/// One credential in an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertItem {
    /// The credential's stable id.
    pub credential_uid: String,
    /// The client's name.
    pub client: String,
    /// `push_certificate`, `server_token`, `content_token`.
    pub kind: Kind,
    /// How people name the kind ("APNs certificate").
    pub what: String,
    /// The user's label.
    pub label: String,
    /// What the identity is ("Push topic", "MDM server", "Organisation").
    pub identity_name: String,
    /// The topic, server or location.
    pub identity: String,
    /// The Apple Account on record.
    pub apple_account: Option<String>,
    /// The state.
    pub state: State,
    /// The state for people ("Renewal Required").
    pub state_label: String,
    /// Whole days left (negative once expired).
    pub days_left: Option<i64>,
    /// The expiry, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// The milestone that made it due (`before-30`, `expiry`, `grace-7`, `lapse`, `error`).
    pub milestone: String,
    /// The time left in words ("expires in 12 days").
    pub phrase: String,
    /// What to do.
    pub advice: String,
    /// Why, for an Error.
    pub reason: Option<String>,
    /// Where to renew it: the Apple Push Certificates Portal, Apple Business or School Manager.
    pub portal_url: String,
}

/// One message to one channel: one or several credentials, never one message per credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertMessage {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// [`VERSION`] when written.
    pub version: u32,
    /// Unique per message and kept across retries: a receiver drops a repeat by it.
    pub id: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// A test message ("Send test message"), not an alert.
    pub test: bool,
    /// One line naming the client and credential, or how many.
    pub title: String,
    /// One line on what to do.
    pub summary: String,
    /// The credentials, most urgent first.
    pub alerts: Vec<AlertItem>,
}

/// Where a credential of `kind` for a client of `portal` is renewed.
pub fn portal_url(kind: Kind, portal: Portal) -> &'static str {
    match kind {
        Kind::PushCertificate => PUSH_PORTAL_URL,
        Kind::ServerToken | Kind::ContentToken => portal.url(),
    }
}

/// The alert item of a due reminder for credential `c`.
pub fn item(r: &Reminder, c: &CredentialSummary, thresholds: Thresholds) -> AlertItem {
    item_of(
        c.clone(),
        r.milestone.clone(),
        &Status {
            state: r.state,
            days_left: r.days_left,
            reason: r.reason.clone(),
        },
        thresholds,
    )
}

/// The alert item for `c`, due at `milestone` in state `st` under its own `thresholds`: its
/// texts moved into the item, not copied (a pass over thousands of credentials builds one
/// each).
pub fn item_of(
    c: CredentialSummary,
    milestone: String,
    st: &Status,
    thresholds: Thresholds,
) -> AlertItem {
    let kw = words::kind_words(c.kind);
    AlertItem {
        credential_uid: c.uid,
        client: c.client,
        kind: c.kind,
        what: kw.row_name.to_owned(),
        label: c.label,
        identity_name: kw.identity_name.to_owned(),
        identity: c.identity,
        apple_account: c.apple_account,
        state: st.state,
        state_label: st.state.label().to_owned(),
        days_left: st.days_left,
        expires_at: c.expires_at,
        milestone,
        phrase: words::notification_phrase(
            st.state,
            st.days_left,
            st.reason.as_deref(),
            thresholds,
        ),
        advice: advice(c.kind, st.state),
        reason: st.reason.clone(),
        portal_url: portal_url(c.kind, c.portal).to_owned(),
    }
}

/// What to do about a credential of `kind` in `state`, as an alert says it.
fn advice(kind: Kind, state: State) -> String {
    match words::advice(kind, state) {
        // The card's sentence names the date as `{date}`; an alert states it beside.
        Some(a) if !a.contains("{date}") => a.to_owned(),
        _ => words::notification_advice(state).to_owned(),
    }
}

/// The title and summary of a message carrying `items` (most urgent first).
pub fn headline(items: &[AlertItem]) -> (String, String) {
    match items {
        [] => (
            "TokenKeeper: nothing due".to_owned(),
            "No credential needs attention.".to_owned(),
        ),
        [only] => (
            format!(
                "{}: {} \"{}\" {}",
                only.client, only.what, only.label, only.phrase
            ),
            only.advice.clone(),
        ),
        many => headline_counts(
            many.len(),
            many.iter().filter(|i| i.state.urgency() > 1).count(),
        ),
    }
}

/// The title and summary of a message carrying `count` credentials, `urgent` of them expired,
/// lapsed or in error.
pub fn headline_counts(count: usize, urgent: usize) -> (String, String) {
    let title = if urgent > 0 {
        format!("{count} credentials need attention ({urgent} expired or in error)")
    } else {
        format!("{count} credentials need renewal")
    };
    (
        title,
        "Renew the most urgent first: each line says what to do.".to_owned(),
    )
}

/// Sorts items most urgent first, then fewest days left, then by client.
pub fn sort(items: &mut [AlertItem]) {
    items.sort_by(|a, b| {
        b.state
            .urgency()
            .cmp(&a.state.urgency())
            .then(a.days_left.cmp(&b.days_left))
            .then_with(|| a.client.cmp(&b.client))
            .then_with(|| a.label.cmp(&b.label))
    });
}

/// A test message for "Send test message": a sample alert that says it is a test.
pub fn test_message(id: String, channel: &str, now: DateTime<Utc>) -> AlertMessage {
    AlertMessage {
        schema: SCHEMA.to_owned(),
        version: VERSION,
        id,
        created_at: now,
        test: true,
        title: format!("TokenKeeper test message for \"{channel}\""),
        summary: "This channel is set up: TokenKeeper's alerts will arrive here.".to_owned(),
        alerts: Vec::new(),
    }
}

/// One line per item, as an e-mail and a chat message list them.
pub fn line(i: &AlertItem) -> String {
    let mut s = format!(
        "{} — {} \"{}\" ({}: {}): {}, {}",
        i.client, i.what, i.label, i.identity_name, i.identity, i.state_label, i.phrase
    );
    if let Some(a) = &i.apple_account {
        s.push_str(&format!("; Apple Account {a}"));
    }
    s
}

/// When to try a delivery again after its `attempts`-th failure at `now`: 1, 2, 4, … minutes,
/// at most [`MAX_BACKOFF`], and never before the receiver's `Retry-After`.
pub fn next_attempt(
    now: DateTime<Utc>,
    attempts: u32,
    retry_after: Option<StdDuration>,
) -> DateTime<Utc> {
    let exp = attempts.saturating_sub(1).min(10);
    let backoff = Duration::minutes(1i64 << exp).min(MAX_BACKOFF);
    let asked = retry_after.map_or(Duration::zero(), |d| {
        Duration::from_std(d)
            .unwrap_or(Duration::days(1))
            .min(Duration::days(1))
    });
    now + backoff.max(asked)
}

/// Reads an HTTP `Retry-After` value (seconds, or an HTTP date) as a wait from `now`.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<StdDuration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(StdDuration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(v).ok()?.with_timezone(&Utc);
    (at - now).to_std().ok().or(Some(StdDuration::ZERO))
}

/// A moment as logs print it (RFC 3339 UTC, seconds).
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whether `days` is a warning threshold a client may choose.
pub fn valid_warn_days(days: u32) -> bool {
    WARN_DAYS.contains(&days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn backoff_doubles_to_an_hour_and_honours_retry_after() {
        assert_eq!(next_attempt(now(), 1, None), now() + Duration::minutes(1));
        assert_eq!(next_attempt(now(), 3, None), now() + Duration::minutes(4));
        assert_eq!(next_attempt(now(), 40, None), now() + Duration::hours(1));
        let asked = Some(StdDuration::from_secs(600));
        assert_eq!(next_attempt(now(), 1, asked), now() + Duration::minutes(10));
        let absurd = Some(StdDuration::from_secs(u64::MAX));
        assert_eq!(next_attempt(now(), 1, absurd), now() + Duration::days(1));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_and_never_panics() {
        assert_eq!(
            parse_retry_after(" 120 ", now()),
            Some(StdDuration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Thu, 04 Mar 2027 09:01:00 GMT", now()),
            Some(StdDuration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Thu, 04 Mar 2027 08:00:00 GMT", now()),
            Some(StdDuration::ZERO)
        );
        for junk in ["", "-1", "soon", "99999999999999999999999", "\u{0}"] {
            assert_eq!(parse_retry_after(junk, now()), None, "{junk:?}");
        }
    }

    #[test]
    fn warn_days_are_the_four_choices() {
        assert!(WARN_DAYS.iter().all(|d| valid_warn_days(*d)));
        assert!(!valid_warn_days(0) && !valid_warn_days(31) && !valid_warn_days(365));
    }
}
