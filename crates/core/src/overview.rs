//! The whole vault at a glance, for the tray: the worst state as one of three looks, how many
//! credentials are in each state, and the few that need the technician first.

use serde::Serialize;

use crate::status::{State, Thresholds};
use crate::summary::CredentialSummary;
use crate::token::Kind;

/// How many of the most urgent credentials an overview names (the tray menu's lines).
pub const URGENT_LINES: usize = 5;

/// How the tray icon looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Every credential is Active (or there are none).
    AllWell,
    /// Something is inside its renewal window: renewing now loses nothing.
    Attention,
    /// Something is expired, lapsed or in Error: devices are or will soon be affected.
    Critical,
}

impl Level {
    /// Stable identifier (`all_well`), also the tray icon's file stem.
    pub fn id(self) -> &'static str {
        match self {
            Level::AllWell => "all_well",
            Level::Attention => "attention",
            Level::Critical => "critical",
        }
    }
}

/// One credential that needs attention, as a tray menu line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Urgent {
    /// The credential to open.
    pub uid: String,
    /// "Acme Corp: APNs certificate, 5 days left".
    pub text: String,
    /// Its state.
    pub state: State,
}

/// Counts per state and the most urgent credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// The worst of all states, as one of three looks.
    pub level: Level,
    /// Active credentials.
    pub active: usize,
    /// Inside the renewal window.
    pub renewal_required: usize,
    /// Past expiry, in grace.
    pub expired: usize,
    /// Past grace.
    pub lapsed: usize,
    /// In Error.
    pub error: usize,
    /// The most urgent credentials that are not Active, most urgent first.
    pub urgent: Vec<Urgent>,
    /// Channels that keep failing to deliver alerts: a problem of their own.
    pub failing_channels: Vec<String>,
}

impl Overview {
    /// Sums up `summaries` (in any order), keeping at most `max_urgent` urgent lines.
    pub fn of(summaries: &[CredentialSummary], thresholds: Thresholds, max_urgent: usize) -> Self {
        let mut counts = [0; 5];
        for s in summaries {
            counts[usize::from(s.status.state.urgency())] += 1;
        }
        Self::of_counts(counts, summaries, thresholds, max_urgent)
    }

    /// The overview of a vault with `counts` credentials per state (indexed by
    /// [`State::urgency`]), whose most urgent are among `pressing` (in any order).
    pub(crate) fn of_counts(
        counts: [usize; 5],
        pressing: &[CredentialSummary],
        thresholds: Thresholds,
        max_urgent: usize,
    ) -> Self {
        let mut o = Overview {
            level: Level::AllWell,
            active: counts[usize::from(State::Active.urgency())],
            renewal_required: counts[usize::from(State::RenewalRequired.urgency())],
            expired: counts[usize::from(State::Expired.urgency())],
            lapsed: counts[usize::from(State::Lapsed.urgency())],
            error: counts[usize::from(State::Error.urgency())],
            urgent: Vec::new(),
            failing_channels: Vec::new(),
        };
        o.level = if o.expired + o.lapsed + o.error > 0 {
            Level::Critical
        } else if o.renewal_required > 0 {
            Level::Attention
        } else {
            Level::AllWell
        };
        let mut pressing: Vec<&CredentialSummary> = pressing
            .iter()
            .filter(|s| s.status.state != State::Active)
            .collect();
        // Worst state first, then the nearest expiry (unknown last), then by name for a stable menu.
        pressing.sort_by(|a, b| {
            b.status
                .state
                .urgency()
                .cmp(&a.status.state.urgency())
                .then_with(|| {
                    let key = |s: &CredentialSummary| s.status.days_left.unwrap_or(i64::MAX);
                    key(a).cmp(&key(b))
                })
                .then_with(|| a.client.cmp(&b.client))
                .then_with(|| a.label.cmp(&b.label))
        });
        o.urgent = pressing
            .into_iter()
            .take(max_urgent)
            .map(|s| Urgent {
                uid: s.uid.clone(),
                text: line(s, thresholds),
                state: s.status.state,
            })
            .collect();
        o
    }

    /// Adds the channels that keep failing: the level is at least Attention.
    pub fn with_failing_channels(mut self, names: Vec<String>) -> Self {
        if !names.is_empty() && self.level == Level::AllWell {
            self.level = Level::Attention;
        }
        self.failing_channels = names;
        self
    }

    /// How many credentials in all.
    pub fn total(&self) -> usize {
        self.active + self.renewal_required + self.expired + self.lapsed + self.error
    }

    /// The tray tooltip: "TokenKeeper: 2 need renewal, 1 expired" or "all 12 credentials active".
    pub fn tooltip(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |n: usize, what: &str| {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        };
        add(self.error, "in error");
        add(self.lapsed, "lapsed");
        add(self.expired, "expired");
        add(self.renewal_required, "need renewal");
        if !self.failing_channels.is_empty() {
            parts.push(format!(
                "alerts failing in {}",
                self.failing_channels.join(", ")
            ));
        }
        if parts.is_empty() {
            return match self.total() {
                0 => "TokenKeeper: no credentials yet".to_owned(),
                1 => "TokenKeeper: the credential is active".to_owned(),
                n => format!("TokenKeeper: all {n} credentials active"),
            };
        }
        format!("TokenKeeper: {}", parts.join(", "))
    }
}

/// The short name of a credential in a menu or a notification.
pub fn credential_name(kind: Kind) -> &'static str {
    match kind {
        Kind::PushCertificate => "APNs certificate",
        Kind::ServerToken => "ADE token",
        Kind::ContentToken => "Apps and Books token",
    }
}

fn line(s: &CredentialSummary, thresholds: Thresholds) -> String {
    let when = match s.status.state {
        State::Error => s
            .status
            .reason
            .as_deref()
            .map_or_else(|| "error".to_owned(), first_sentence),
        _ => s.status.time_phrase(thresholds),
    };
    let label = if s.label.is_empty() || s.label == credential_name(s.kind) {
        String::new()
    } else {
        format!(" \"{}\"", s.label)
    };
    format!("{}: {}{label}, {when}", s.client, credential_name(s.kind))
}

/// A reason cut to its first sentence and to a menu's width.
fn first_sentence(reason: &str) -> String {
    let first = reason.split(['.', ':']).next().unwrap_or(reason).trim();
    let mut out: String = first.chars().take(60).collect();
    if first.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::status;
    use crate::summary::Portal;
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
            .single()
            .expect("date")
    }

    fn cred(client: &str, kind: Kind, days: Option<i64>, error: Option<&str>) -> CredentialSummary {
        let expiry = days.map(|d| now() + Duration::days(d) + Duration::hours(1));
        CredentialSummary {
            uid: format!("{client}-{days:?}"),
            client: client.to_owned(),
            portal: Portal::Business,
            kind,
            label: credential_name(kind).to_owned(),
            identity: "x".to_owned(),
            apple_account: None,
            expires_at: expiry,
            revision: 1,
            status: status(expiry, error, now(), Thresholds::default()),
            renewal_window_days: 30,
            source: crate::mdm::Source::File,
            mdm: None,
        }
    }

    #[test]
    fn nothing_stored_is_all_well() {
        let o = Overview::of(&[], Thresholds::default(), 5);
        assert_eq!(o.level, Level::AllWell);
        assert_eq!(o.tooltip(), "TokenKeeper: no credentials yet");
        assert!(o.urgent.is_empty());
    }

    #[test]
    fn all_active_is_all_well_and_says_so() {
        let creds = [
            cred("Acme", Kind::PushCertificate, Some(200), None),
            cred("Beta", Kind::ContentToken, Some(90), None),
        ];
        let o = Overview::of(&creds, Thresholds::default(), 5);
        assert_eq!(o.level, Level::AllWell);
        assert_eq!(o.tooltip(), "TokenKeeper: all 2 credentials active");
    }

    #[test]
    fn renewal_window_is_attention() {
        let creds = [
            cred("Acme", Kind::PushCertificate, Some(200), None),
            cred("Beta", Kind::ServerToken, Some(12), None),
        ];
        let o = Overview::of(&creds, Thresholds::default(), 5);
        assert_eq!(o.level, Level::Attention);
        assert_eq!(o.tooltip(), "TokenKeeper: 1 need renewal");
        assert_eq!(o.urgent.len(), 1);
        assert_eq!(o.urgent[0].text, "Beta: ADE token, 12 days left");
    }

    #[test]
    fn expired_lapsed_or_error_is_critical_and_comes_first() {
        let creds = [
            cred("Acme", Kind::PushCertificate, Some(5), None),
            cred("Beta", Kind::ContentToken, Some(-3), None),
            cred("Gamma", Kind::ServerToken, Some(-80), None),
            cred(
                "Delta",
                Kind::ServerToken,
                Some(100),
                Some("Apple says the token was revoked. Download a new one."),
            ),
            cred("Echo", Kind::PushCertificate, Some(300), None),
        ];
        let o = Overview::of(&creds, Thresholds::default(), 3);
        assert_eq!(o.level, Level::Critical);
        assert_eq!(
            (o.active, o.renewal_required, o.expired, o.lapsed, o.error),
            (1, 1, 1, 1, 1)
        );
        assert_eq!(
            o.tooltip(),
            "TokenKeeper: 1 in error, 1 lapsed, 1 expired, 1 need renewal"
        );
        let texts: Vec<&str> = o.urgent.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(texts.len(), 3, "capped at 3");
        assert_eq!(
            texts[0],
            "Delta: ADE token, Apple says the token was revoked"
        );
        assert!(texts[1].starts_with("Gamma: ADE token, expired 80 days ago"));
        assert!(texts[2].starts_with("Beta: Apps and Books token, expired 3 days ago"));
    }

    #[test]
    fn nearer_expiry_first_within_a_state_and_labels_shown() {
        let mut far = cred("Acme", Kind::ServerToken, Some(20), None);
        far.label = "Cupertino ABM".to_owned();
        let near = cred("Zulu", Kind::ServerToken, Some(2), None);
        let o = Overview::of(&[far, near], Thresholds::default(), 5);
        assert_eq!(o.urgent[0].text, "Zulu: ADE token, 2 days left");
        assert_eq!(
            o.urgent[1].text,
            "Acme: ADE token \"Cupertino ABM\", 20 days left"
        );
    }

    #[test]
    fn long_reasons_are_cut_for_a_menu() {
        let long = "x".repeat(200);
        assert_eq!(first_sentence(&long).chars().count(), 61);
    }
}
