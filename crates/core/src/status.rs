//! The five states a credential can be in, computed purely from its expiry, an error reason and
//! `now`. The thresholds are settings; the defaults are 30 days of renewal window and 30 days of
//! grace (a figure vendors report; Apple does not document it).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The state a user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Valid, more than the renewal window left.
    Active,
    /// Valid, inside the renewal window: renewing now loses nothing.
    RenewalRequired,
    /// Past expiry, inside the grace period vendors report.
    Expired,
    /// Past expiry and grace: devices must re-enroll, or the token must be re-created.
    Lapsed,
    /// Changed identity, tampered with, revoked: always with a reason.
    Error,
}

impl State {
    /// Every state, from Active to Error.
    pub const ALL: [State; 5] = [
        State::Active,
        State::RenewalRequired,
        State::Expired,
        State::Lapsed,
        State::Error,
    ];

    /// Stable identifier (`renewal_required`).
    pub fn id(self) -> &'static str {
        match self {
            State::Active => "active",
            State::RenewalRequired => "renewal_required",
            State::Expired => "expired",
            State::Lapsed => "lapsed",
            State::Error => "error",
        }
    }

    /// The state with identifier `id` (see [`State::id`]).
    pub fn parse(id: &str) -> Option<Self> {
        [
            State::Active,
            State::RenewalRequired,
            State::Expired,
            State::Lapsed,
            State::Error,
        ]
        .into_iter()
        .find(|s| s.id() == id)
    }

    /// Label for people ("Renewal Required").
    pub fn label(self) -> &'static str {
        match self {
            State::Active => "Active",
            State::RenewalRequired => "Renewal Required",
            State::Expired => "Expired",
            State::Lapsed => "Lapsed",
            State::Error => "Error",
        }
    }

    /// How urgent, for sorting: higher first. Lapsed and Error lead, Active trails.
    pub fn urgency(self) -> u8 {
        match self {
            State::Error => 4,
            State::Lapsed => 3,
            State::Expired => 2,
            State::RenewalRequired => 1,
            State::Active => 0,
        }
    }
}

/// The user's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Thresholds {
    /// Days before expiry when renewal becomes required.
    pub renewal_window_days: u32,
    /// Days after expiry during which a renewal still avoids re-enrollment.
    pub grace_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            renewal_window_days: 30,
            grace_days: 30,
        }
    }
}

/// A credential's state at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Status {
    /// The state.
    pub state: State,
    /// Whole days until expiry (negative once expired, rounded down); `None` when the expiry is
    /// unknown.
    pub days_left: Option<i64>,
    /// Why, for an Error (or an unknown expiry).
    pub reason: Option<String>,
}

/// Reason given when the expiry cannot be read (a server token imported without its key).
pub const UNKNOWN_EXPIRY: &str = "expiry unknown: import the token with its private key, or enter the expiry date shown in Apple Business Manager";

/// Computes the state of a credential.
///
/// An `error` always wins. An unknown expiry is an Error with [`UNKNOWN_EXPIRY`]: a credential
/// whose end nobody knows must not look healthy.
pub fn status(
    expiry: Option<DateTime<Utc>>,
    error: Option<&str>,
    now: DateTime<Utc>,
    thresholds: Thresholds,
) -> Status {
    let days_left = expiry.map(|e| (e - now).num_seconds().div_euclid(86_400));
    let reason = error.map(str::to_owned);
    let Some(expiry) = expiry else {
        return Status {
            state: State::Error,
            days_left,
            reason: reason.or_else(|| Some(UNKNOWN_EXPIRY.to_owned())),
        };
    };
    let state = if reason.is_some() {
        State::Error
    } else if now < expiry - Duration::days(i64::from(thresholds.renewal_window_days)) {
        State::Active
    } else if now < expiry {
        State::RenewalRequired
    } else if now <= expiry + Duration::days(i64::from(thresholds.grace_days)) {
        State::Expired
    } else {
        State::Lapsed
    };
    Status {
        state,
        days_left,
        reason,
    }
}

/// A [`Status`], borrowed: what a report reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusRef<'a> {
    /// See [`Status::state`].
    pub state: State,
    /// See [`Status::days_left`].
    pub days_left: Option<i64>,
    /// See [`Status::reason`].
    pub reason: Option<&'a str>,
}

impl StatusRef<'_> {
    /// The status, owned.
    pub fn to_status(self) -> Status {
        Status {
            state: self.state,
            days_left: self.days_left,
            reason: self.reason.map(str::to_owned),
        }
    }

    /// See [`Status::time_phrase`].
    pub fn time_phrase(self, thresholds: Thresholds) -> String {
        let Some(days) = self.days_left else {
            return "expiry unknown".to_owned();
        };
        let plural = |n: i64| if n == 1 { "" } else { "s" };
        match days {
            d if d > 0 => format!("{d} day{} left", plural(d)),
            0 => "expires within a day".to_owned(),
            d => {
                let ago = -d;
                let grace_left = i64::from(thresholds.grace_days) - ago;
                if grace_left >= 0 {
                    format!(
                        "expired {ago} day{} ago: {grace_left} day{} of grace left",
                        plural(ago),
                        plural(grace_left)
                    )
                } else {
                    format!(
                        "expired {ago} day{} ago, past the grace period",
                        plural(ago)
                    )
                }
            }
        }
    }
}

impl Status {
    /// This status, borrowed.
    pub fn view(&self) -> StatusRef<'_> {
        StatusRef {
            state: self.state,
            days_left: self.days_left,
            reason: self.reason.as_deref(),
        }
    }

    /// The time left in words, as a row of the dashboard reads it: "12 days left",
    /// "expired 3 days ago: 27 days of grace left", "lapsed 40 days ago".
    pub fn time_phrase(&self, thresholds: Thresholds) -> String {
        self.view().time_phrase(thresholds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(days_from_expiry: f64) -> Status {
        let expiry = Utc
            .with_ymd_and_hms(2027, 3, 4, 12, 0, 0)
            .single()
            .expect("date");
        let now = expiry + Duration::seconds((days_from_expiry * 86_400.0) as i64);
        status(Some(expiry), None, now, Thresholds::default())
    }

    #[test]
    fn table() {
        for (offset, state, days) in [
            (-365.0, State::Active, 365),
            (-30.5, State::Active, 30),
            (-30.0, State::RenewalRequired, 30),
            (-12.0, State::RenewalRequired, 12),
            (-0.5, State::RenewalRequired, 0),
            (0.0, State::Expired, 0),
            (0.5, State::Expired, -1),
            (3.0, State::Expired, -3),
            (30.0, State::Expired, -30),
            (30.01, State::Lapsed, -31),
            (400.0, State::Lapsed, -400),
        ] {
            let s = at(offset);
            assert_eq!(
                (s.state, s.days_left),
                (state, Some(days)),
                "offset {offset}"
            );
            assert_eq!(s.reason, None);
        }
    }

    #[test]
    fn error_wins_and_unknown_expiry_is_an_error() {
        let now = Utc::now();
        let s = status(
            Some(now + Duration::days(200)),
            Some("revoked"),
            now,
            Thresholds::default(),
        );
        assert_eq!(
            (s.state, s.reason.as_deref()),
            (State::Error, Some("revoked"))
        );
        let s = status(None, None, now, Thresholds::default());
        assert_eq!(
            (s.state, s.days_left, s.reason.as_deref()),
            (State::Error, None, Some(UNKNOWN_EXPIRY))
        );
    }

    #[test]
    fn phrases() {
        let t = Thresholds::default();
        let phrase = |offset: f64| at(offset).time_phrase(t);
        assert_eq!(phrase(-12.0), "12 days left");
        assert_eq!(phrase(-1.0), "1 day left");
        assert_eq!(phrase(-0.5), "expires within a day");
        assert_eq!(phrase(3.0), "expired 3 days ago: 27 days of grace left");
        assert_eq!(phrase(40.0), "expired 40 days ago, past the grace period");
        let unknown = status(None, None, Utc::now(), t);
        assert_eq!(unknown.time_phrase(t), "expiry unknown");
    }

    #[test]
    fn thresholds_are_settings() {
        let now = Utc::now();
        let t = Thresholds {
            renewal_window_days: 60,
            grace_days: 0,
        };
        assert_eq!(
            status(Some(now + Duration::days(45)), None, now, t).state,
            State::RenewalRequired
        );
        assert_eq!(
            status(Some(now - Duration::hours(1)), None, now, t).state,
            State::Lapsed
        );
    }
}
