//! The words a person reads about a credential, in one place: each state's label and urgency,
//! each kind's names, the time left in words, what to do in each state, and when two names are
//! the same client's. The command line, notifications and the desktop shell read them here;
//! the UI, which computes a 10,000-row dashboard itself, gets them as a generated table
//! ([`Vocabulary`], written to `ui/src/lib/vocabulary.ts`) with samples of every rule it
//! re-implements, so a test fails the moment the two differ.

use serde::Serialize;

use crate::audit::EventKind;
use crate::error::ErrorKind;
use crate::mdm::{Source, Vendor};
use crate::status::{State, Status, Thresholds};
use crate::summary::Portal;
use crate::token::Kind;

/// How people name a kind, wherever it appears.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct KindWords {
    /// As a dashboard row starts: "APNs certificate", "ADE token", "Apps and Books".
    pub row_name: &'static str,
    /// In full: "APNs push certificate".
    pub display_name: &'static str,
    /// With its article, for sentences: "an APNs push certificate".
    pub article: &'static str,
    /// A client page's section title: "ADE server tokens".
    pub section: &'static str,
    /// What its file looks like: ".pem", "_smime.p7m", ".vpptoken".
    pub file: &'static str,
    /// What its identity is called: "Push topic", "MDM server", "Organisation".
    pub identity_name: &'static str,
    /// What renewing it keeps working: "so devices keep answering the MDM".
    pub effect: &'static str,
}

/// The words of `kind`.
pub fn kind_words(kind: Kind) -> KindWords {
    match kind {
        Kind::PushCertificate => KindWords {
            row_name: "APNs certificate",
            display_name: kind.display_name(),
            article: kind.article_name(),
            section: "APNs push certificate",
            file: ".pem",
            identity_name: "Push topic",
            effect: "so devices keep answering the MDM",
        },
        Kind::ServerToken => KindWords {
            row_name: "ADE token",
            display_name: kind.display_name(),
            article: kind.article_name(),
            section: "ADE server tokens",
            file: "_smime.p7m",
            identity_name: "MDM server",
            effect: "so new devices keep enrolling automatically",
        },
        Kind::ContentToken => KindWords {
            row_name: "Apps and Books",
            display_name: kind.display_name(),
            article: kind.article_name(),
            section: "Apps and Books tokens",
            file: ".vpptoken",
            identity_name: "Organisation",
            effect: "so app licences keep syncing",
        },
    }
}

/// What to do about a credential of `kind` in `state`, as a sentence under its card or row;
/// `{date}` stands for its expiry written out in the reader's locale ("4 March 2027"). `None`
/// when there is nothing to do (Active) or the reason says it (Error).
pub fn advice(kind: Kind, state: State) -> Option<&'static str> {
    Some(match (state, kind) {
        (State::RenewalRequired, Kind::PushCertificate) => {
            "Renew before {date} so devices keep answering the MDM."
        }
        (State::RenewalRequired, Kind::ServerToken) => {
            "Renew before {date} so new devices keep enrolling automatically."
        }
        (State::RenewalRequired, Kind::ContentToken) => {
            "Renew before {date} so app licences keep syncing."
        }
        (State::Expired, Kind::PushCertificate) => {
            "Renew now: vendors report a grace period after expiry during which a renewal avoids re-enrolling every device."
        }
        (State::Expired, Kind::ServerToken) => {
            "Renew now so new devices keep enrolling automatically."
        }
        (State::Expired, Kind::ContentToken) => "Renew now so app licences keep syncing.",
        (State::Lapsed, Kind::PushCertificate) => {
            "Past the grace period vendors report: devices will likely need to re-enroll. Renew the same topic to try first."
        }
        (State::Lapsed, Kind::ServerToken) => {
            "Download a new token from your MDM server in Apple Business Manager."
        }
        (State::Lapsed, Kind::ContentToken) => {
            "Download a new token for this location in Apple Business Manager; replace this one, never add a second."
        }
        (State::Active | State::Error, _) => return None,
    })
}

/// The time left as a notification's title says it: "expires in 12 days", "expires tomorrow",
/// "expired 3 days ago; vendors report 27 days of grace left"; an Error's reason.
pub fn notification_phrase(
    state: State,
    days_left: Option<i64>,
    reason: Option<&str>,
    thresholds: Thresholds,
) -> String {
    match (state, days_left) {
        (State::Error, _) => reason.unwrap_or("needs attention").to_owned(),
        (_, Some(d)) if d > 1 => format!("expires in {d} days"),
        (_, Some(1)) => "expires tomorrow".to_owned(),
        (_, Some(0)) => "expires today".to_owned(),
        (State::Expired, Some(d)) => {
            let left = i64::from(thresholds.grace_days) + d;
            format!(
                "expired {} days ago; vendors report {left} days of grace left",
                -d
            )
        }
        (State::Lapsed, _) => "lapsed: past the grace period".to_owned(),
        _ => "expiry unknown".to_owned(),
    }
}

/// What to do, as a notification's body says it (the app opens on the credential's steps).
pub fn notification_advice(state: State) -> &'static str {
    match state {
        State::Error => "Open TokenKeeper to see why and what to do.",
        State::Lapsed => {
            "Devices must re-enroll (APNs) or the token must be re-created: open TokenKeeper for the steps."
        }
        State::Expired => {
            "Renew it now, before the grace period ends, to avoid re-enrolling devices."
        }
        _ => "Renew it now: nothing is lost by renewing early.",
    }
}

/// Whether two client names (or two labels of one client) name the same thing: equal once
/// trimmed, ignoring the case of ASCII letters (as the database's `NOCASE` does).
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// A state's words.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct StateWords {
    /// "Renewal Required".
    pub label: &'static str,
    /// Higher is more urgent: the dashboard's order and a client's overall state.
    pub urgency: u8,
}

/// One case of [`Status::time_phrase`], for the UI's test.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PhraseCase {
    /// Whole days left (negative: past expiry); `None`: expiry unknown.
    pub days_left: Option<i64>,
    /// The grace period.
    pub grace_days: u32,
    /// What the core says.
    pub phrase: String,
}

/// One case of [`same_name`], for the UI's test.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NameCase {
    /// One name.
    pub a: &'static str,
    /// The other.
    pub b: &'static str,
    /// Whether they are the same.
    pub same: bool,
}

/// Everything the UI shows or decides about words, as the core has it.
#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    /// By state id.
    pub states: std::collections::BTreeMap<&'static str, StateWords>,
    /// By kind id.
    pub kinds: std::collections::BTreeMap<&'static str, KindWords>,
    /// By kind id, then state id: [`advice`].
    pub advice: std::collections::BTreeMap<
        &'static str,
        std::collections::BTreeMap<&'static str, &'static str>,
    >,
    /// By portal id: its name and address.
    pub portals: std::collections::BTreeMap<&'static str, (&'static str, &'static str)>,
    /// Every error kind the shell can send.
    pub error_kinds: Vec<&'static str>,
    /// Every kind of audit-log event.
    pub event_kinds: Vec<&'static str>,
    /// By MDM vendor id: its name and what its connection form asks.
    pub vendors: std::collections::BTreeMap<&'static str, VendorWords>,
    /// By source id (`file`, `mdm`, `both`): its label.
    pub sources: std::collections::BTreeMap<&'static str, &'static str>,
}

/// What the "Connect MDM" form shows and asks for one vendor.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct VendorWords {
    /// The product's name.
    pub name: &'static str,
    /// Its address when the user gives none (`None`: each customer has their own).
    pub default_url: Option<&'static str>,
    /// Whether the tenant id is required.
    pub needs_tenant: bool,
    /// Whether the OAuth client id is required.
    pub needs_client_id: bool,
    /// What the secret is called in the vendor's console.
    pub secret_name: &'static str,
}

/// Samples of the rules the UI re-implements for speed, for its tests (never shipped).
#[derive(Debug, Clone, Serialize)]
pub struct Samples {
    /// Samples of [`Status::time_phrase`].
    pub time_phrases: Vec<PhraseCase>,
    /// Samples of [`same_name`].
    pub same_names: Vec<NameCase>,
}

/// The vocabulary as it is now.
pub fn vocabulary() -> Vocabulary {
    let states = State::ALL
        .iter()
        .map(|s| {
            (
                s.id(),
                StateWords {
                    label: s.label(),
                    urgency: s.urgency(),
                },
            )
        })
        .collect();
    let kinds = Kind::ALL.iter().map(|k| (k.id(), kind_words(*k))).collect();
    let advice = Kind::ALL
        .iter()
        .map(|k| {
            let by_state = State::ALL
                .iter()
                .filter_map(|s| advice(*k, *s).map(|a| (s.id(), a)))
                .collect();
            (k.id(), by_state)
        })
        .collect();
    let portals = [Portal::Business, Portal::School]
        .iter()
        .map(|p| (p.id(), (p.name(), p.url())))
        .collect();
    Vocabulary {
        states,
        kinds,
        advice,
        portals,
        error_kinds: ErrorKind::ALL.iter().map(|k| k.id()).collect(),
        event_kinds: EventKind::ALL.iter().map(|k| k.id()).collect(),
        vendors: Vendor::ALL
            .iter()
            .map(|v| {
                (
                    v.id(),
                    VendorWords {
                        name: v.name(),
                        default_url: v.default_url(),
                        needs_tenant: v.needs_tenant(),
                        needs_client_id: v.needs_client_id(),
                        secret_name: v.secret_name(),
                    },
                )
            })
            .collect(),
        sources: [Source::File, Source::Mdm, Source::Both]
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
    }
}

/// Samples of every rule the UI computes itself.
pub fn samples() -> Samples {
    let mut time_phrases = Vec::new();
    for grace_days in [30, 0, 1] {
        let days = std::iter::once(None).chain((-45..=45).map(Some));
        for days_left in days {
            let status = Status {
                state: State::Active,
                days_left,
                reason: None,
            };
            let thresholds = Thresholds {
                renewal_window_days: 30,
                grace_days,
            };
            time_phrases.push(PhraseCase {
                days_left,
                grace_days,
                phrase: status.time_phrase(thresholds),
            });
        }
    }
    let pairs = [
        ("Acme", "acme"),
        ("Acme ", " ACME"),
        ("Acme", "Acme Corp"),
        ("Ärzte", "ärzte"),
        ("ÄRZTE", "Ärzte"),
        ("Straße", "STRASSE"),
        ("İstanbul", "istanbul"),
        ("", "  "),
    ];
    Samples {
        time_phrases,
        same_names: pairs
            .iter()
            .map(|&(a, b)| NameCase {
                a,
                b,
                same: same_name(a, b),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_trimmed_and_ascii_case_blind_only() {
        assert!(same_name(" Acme", "ACME "));
        assert!(!same_name("Acme", "Acme Corp"));
        // Beyond ASCII the database's NOCASE tells letters apart, and so does the rule.
        assert!(!same_name("Ärzte", "ärzte"));
        assert!(same_name("Ärzte", "Ärzte"));
    }

    #[test]
    fn every_state_but_active_and_error_says_what_to_do() {
        for kind in Kind::ALL {
            assert!(advice(kind, State::Active).is_none());
            assert!(advice(kind, State::Error).is_none());
            for state in [State::RenewalRequired, State::Expired, State::Lapsed] {
                let a = advice(kind, state).expect("advice");
                assert!(a.ends_with('.'), "{a}");
            }
            let renew = advice(kind, State::RenewalRequired).expect("advice");
            assert!(renew.contains("{date}") && renew.contains(kind_words(kind).effect));
        }
    }

    #[test]
    fn the_vocabulary_covers_every_state_kind_and_kind_of_error() {
        let v = vocabulary();
        assert_eq!(v.states.len(), 5);
        assert_eq!(v.kinds.len(), 3);
        assert!(v.error_kinds.contains(&"conflict"));
        assert!(v.event_kinds.contains(&"renewed"));
        assert!(
            samples()
                .time_phrases
                .iter()
                .any(|c| c.phrase == "expiry unknown")
        );
    }
}
