//! What a check with Apple found: its outcome, the details Apple reported, and the result of
//! checking one credential, as stored and as the app shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::apple::Service;
use crate::token::Kind;

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Apple accepted the credential.
    Ok,
    /// Apple reported a problem with the credential: it is in Error with the reason.
    Problem,
    /// Apple could not be reached, was busy, or answered something unexpected. The credential's
    /// state is unchanged.
    CouldNotCheck,
    /// Nothing to check with: a server token imported without its private key (the OAuth
    /// values are unknown). Not recorded.
    Skipped,
}

impl Outcome {
    /// Stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Problem => "problem",
            Outcome::CouldNotCheck => "could_not_check",
            Outcome::Skipped => "skipped",
        }
    }

    pub(in crate::vault) fn parse(id: &str) -> Self {
        match id {
            "ok" => Outcome::Ok,
            "problem" => Outcome::Problem,
            "skipped" => Outcome::Skipped,
            _ => Outcome::CouldNotCheck,
        }
    }
}

/// What Apple said, without any secret. Fields Apple did not send are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckDetails {
    /// For a failure: [`Finding::code`] (`revoked`, `terms_not_accepted`, `busy`, ...).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub finding: Option<String>,
    /// For a failure: the HTTP status Apple answered with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub http_status: Option<u16>,
    /// For a failure: a short excerpt of Apple's answer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub apple_message: Option<String>,
    /// ADE: the MDM server's name in ABM/ASM.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub server_name: Option<String>,
    /// ADE: the MDM server's UUID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub server_uuid: Option<String>,
    /// ADE: the organisation.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org_name: Option<String>,
    /// ADE: the Apple Account that generated the token.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub admin_id: Option<String>,
    /// ADE: `edu` or `org`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub org_type: Option<String>,
    /// Apps and Books: the location's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_name: Option<String>,
    /// Apps and Books: the location's `uId`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub uid: Option<String>,
    /// Apps and Books: Apple's expiry for the token.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub apple_expires_at: Option<DateTime<Utc>>,
    /// Apps and Books: the location's country.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub country: Option<String>,
    /// Apps and Books: the MDM that claims the token (Apple's `mdmInfo`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    #[cfg_attr(feature = "specta", specta(type = Option<AnyJson>))]
    pub mdm_info: Option<Value>,
    /// What deserves a look even though Apple accepted the token: two tokens for one location,
    /// an expiry that disagrees with the file.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
}

/// Any JSON value, for the TypeScript bindings (`unknown`): Apple's `mdmInfo` has no fixed shape.
#[cfg(feature = "specta")]
pub struct AnyJson;

#[cfg(feature = "specta")]
impl specta::Type for AnyJson {
    fn inline(_: &mut specta::TypeCollection, _: specta::Generics) -> specta::datatype::DataType {
        specta::datatype::DataType::Unknown
    }
}

/// The result of checking one credential.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckResult {
    /// The credential.
    pub uid: String,
    /// Its client.
    pub client: String,
    /// Its label.
    pub label: String,
    /// Server token or content token.
    pub kind: Kind,
    /// Which of Apple's services was asked.
    pub service: Service,
    /// When.
    pub checked_at: DateTime<Utc>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why, unless it ended well: what happened and what to do.
    pub reason: Option<String>,
    /// Apple asked not to be called again before then.
    pub retry_after: Option<DateTime<Utc>>,
    /// What Apple said.
    pub details: CheckDetails,
}
