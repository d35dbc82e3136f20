//! What kind of risk a file brings that the user must confirm before it is saved. A leaf of its
//! own so that the error type ([`crate::error`]) can name it without depending on the renewal
//! rules ([`crate::renewal`]), which produce it.

use serde::Serialize;

/// Kinds of warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An APNs certificate with another topic: devices must re-enroll. Needs an explicit,
    /// typed acceptance (`--accept-new-identity`), never a plain yes.
    NewTopic,
    /// An ADE token for another MDM server, or a content token for another organisation.
    IdentityChanged,
    /// A second APNs certificate for a client that has one.
    SecondCertificate,
    /// A content token for a new location of an organisation that already has one.
    NewLocation,
}
