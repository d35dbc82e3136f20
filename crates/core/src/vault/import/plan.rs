//! What an import is asked to do and what it answers: the request, the user's confirmation, the
//! plan shown before saving (both sides of a renewal) and the outcome.

use chrono::{DateTime, Utc};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::Recipient;
use crate::renewal::{Decision, Warning};
use crate::token::Kind;

/// A file to import for a client.
#[derive(Debug, Default)]
pub struct ImportRequest {
    /// The client's name.
    pub client: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The file's name, kept in the history (never used to decide anything).
    pub file_name: Option<String>,
    /// A private key file: decrypts a server token, or the key of a push certificate. Stored in
    /// the keychain with the credential.
    pub key: Option<Zeroizing<Vec<u8>>>,
    /// Which credential it renews, or the label of a new one.
    pub label: Option<String>,
    /// The Apple Account used in the portal.
    pub apple_account: Option<String>,
    /// The expiry typed by the user, for a server token that cannot be decrypted here.
    pub expires_at: Option<DateTime<Utc>>,
}

/// What the user confirmed. The desktop app receives it from the UI; a missing field is `false`.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Confirmation {
    /// The warnings shown were read and accepted.
    pub confirmed: bool,
    /// The user explicitly accepts an APNs certificate with a new topic (devices re-enroll).
    pub accept_new_identity: bool,
}

/// The public facts of one side of a renewal, shown side by side before saving.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Facts {
    /// Topic, consumer key (or recipient), or organisation.
    pub identity: String,
    /// Expiry, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// Organisation of a content token.
    pub organisation: Option<String>,
    /// Certificate a server token is encrypted to.
    pub recipient: Option<Recipient>,
    /// The Apple Account on record.
    pub apple_account: Option<String>,
}

/// What an import will do, computed without writing anything.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportPlan {
    /// The client.
    pub client: String,
    /// The credential kind.
    pub kind: Kind,
    /// New, renewal, or nothing to do.
    #[serde(flatten)]
    pub decision: Decision,
    /// The label it will have.
    pub label: String,
    /// The credential as it is now (renewals).
    pub before: Option<Facts>,
    /// The credential as it will be.
    pub after: Facts,
    /// What must be confirmed.
    pub warnings: Vec<Warning>,
    /// Whether the file was decrypted (server tokens).
    pub decrypted: bool,
    /// The pending key (a push CSR's, a new ADE key pair's) this import gives the credential:
    /// the certificate or token was made for it. Any previous key of the credential is retired.
    pub attaches_key: Option<String>,
    /// A push certificate TokenKeeper holds no private key for: its MDM made the CSR and keeps
    /// the key, and TokenKeeper tracks the certificate's expiry and topic only.
    pub tracked_only: bool,
}

/// The result of an import. Serialized as the plan's fields, `uid` and `revision`, each key
/// once (see `outcome.rs`).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportOutcome {
    /// The plan that was carried out.
    #[cfg_attr(feature = "specta", serde(flatten))]
    pub plan: ImportPlan,
    /// The credential created or renewed.
    pub uid: String,
    /// Its revision after the import.
    pub revision: u32,
}
