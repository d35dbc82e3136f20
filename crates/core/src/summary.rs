//! What a stored credential looks like from outside: its owner, kind, label, public identity,
//! expiry and state. The row of the dashboard, of `status --json` and of every export. Holds no
//! secret.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::mdm::{MdmView, Source};
use crate::status::Status;
use crate::token::Kind;

/// Which Apple portal a client uses: Apple Business Manager or Apple School Manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Portal {
    /// business.apple.com
    #[default]
    Business,
    /// school.apple.com
    School,
}

impl Portal {
    /// Stable identifier (`business`, `school`).
    pub fn id(self) -> &'static str {
        match self {
            Portal::Business => "business",
            Portal::School => "school",
        }
    }

    /// The portal's name: "Apple Business Manager".
    pub fn name(self) -> &'static str {
        match self {
            Portal::Business => "Apple Business Manager",
            Portal::School => "Apple School Manager",
        }
    }

    /// The portal's address.
    pub fn url(self) -> &'static str {
        match self {
            Portal::Business => "https://business.apple.com",
            Portal::School => "https://school.apple.com",
        }
    }

    /// Parses `business` or `school`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "business" => Some(Portal::Business),
            "school" => Some(Portal::School),
            _ => None,
        }
    }
}

/// A stored credential with its state at a moment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CredentialSummary {
    /// Stable identifier of the credential, kept across renewals (calendar UIDs use it).
    pub uid: String,
    /// The client's name.
    pub client: String,
    /// The client's portal.
    pub portal: Portal,
    /// Which credential.
    pub kind: Kind,
    /// The user's label ("Cupertino ABM", "Main Street").
    pub label: String,
    /// Public identity: the push topic, the consumer key (or the recipient certificate when the
    /// token could not be decrypted), or the organisation of a content token.
    pub identity: String,
    /// The Apple Account on record (who created or renews it).
    pub apple_account: Option<String>,
    /// When it expires, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// How many accepted versions it has had (1 for a new credential); calendar SEQUENCE.
    pub revision: u32,
    /// The state at the moment of listing (a disagreement with an MDM is an Error with its
    /// reason).
    pub status: Status,
    /// Days before expiry when renewal becomes required for this credential: its client's
    /// warning threshold, else the vault's. Every state, reminder and alert uses it.
    #[serde(skip)]
    pub renewal_window_days: u32,
    /// Where TokenKeeper knows it from: a file, an MDM, or both.
    pub source: Source,
    /// What an MDM holds for it, if one does.
    pub mdm: Option<Box<MdmView>>,
}

impl CredentialSummary {
    /// The vault's `thresholds` with this credential's renewal window (its client's own).
    pub fn thresholds(&self, vault: crate::status::Thresholds) -> crate::status::Thresholds {
        crate::status::Thresholds {
            renewal_window_days: self.renewal_window_days,
            ..vault
        }
    }
}
