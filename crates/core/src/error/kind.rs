//! The kinds of failure, as the command-line contract (`{"error": {"kind", ...}}`) and the UI
//! name them: one identifier per [`super::Error`] variant, plus the desktop shell's own.

use serde::Serialize;

/// Every kind of failure, as the command-line contract and the UI name it (`{kind, message}`).
/// The UI's table of what to offer for each is checked against this list: a kind added here and
/// not handled there fails the UI's type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file is far larger than any credential.
    TooLarge,
    /// Not an Apple MDM credential.
    UnrecognizedFile,
    /// A credential, damaged or cut short.
    CorruptFile,
    /// A certificate, but not an MDM push certificate.
    NotPushCertificate,
    /// Another kind of credential than the one expected.
    WrongKind,
    /// The key does not open the token.
    WrongKey,
    /// A private key is needed to read it.
    KeyRequired,
    /// The key file cannot be read.
    InvalidKey,
    /// An encryption TokenKeeper does not know.
    UnsupportedAlgorithm,
    /// A new push topic: needs the explicit acceptance.
    IdentityChanged,
    /// Already on record (this file, its identity, or a second token for a location).
    Duplicate,
    /// A warning must be confirmed first.
    ConfirmationRequired,
    /// Changed elsewhere while this change was being checked.
    Conflict,
    /// Older than the version on record.
    OlderFile,
    /// Certificate and key do not belong together.
    KeyMismatch,
    /// Several credentials could be the one renewed.
    Ambiguous,
    /// No such client, credential or key.
    NotFound,
    /// That name is taken.
    AlreadyExists,
    /// Something typed is not acceptable.
    InvalidInput,
    /// A stored secret changed or went missing outside TokenKeeper.
    Tampered,
    /// The password or passphrase does not open it.
    WrongPassword,
    /// The backup file is damaged.
    CorruptBackup,
    /// A restore would replace data.
    NotEmpty,
    /// A push CSR must be signed by an MDM vendor identity first.
    VendorRequired,
    /// The database failed.
    Database,
    /// The database file is damaged: verify, then restore a backup.
    DatabaseDamaged,
    /// The team's database server cannot be reached.
    ServerUnavailable,
    /// Showing the last known state while the team's server is away: nothing can change.
    ReadOnly,
    /// The OS keychain cannot be reached.
    KeychainUnavailable,
    /// A file cannot be read or written.
    Io,
    /// The desktop shell could not change starting at login.
    Autostart,
    /// Anything else the desktop shell could not do (a bug).
    Internal,
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 32] = [
        ErrorKind::TooLarge,
        ErrorKind::UnrecognizedFile,
        ErrorKind::CorruptFile,
        ErrorKind::NotPushCertificate,
        ErrorKind::WrongKind,
        ErrorKind::WrongKey,
        ErrorKind::KeyRequired,
        ErrorKind::InvalidKey,
        ErrorKind::UnsupportedAlgorithm,
        ErrorKind::IdentityChanged,
        ErrorKind::Duplicate,
        ErrorKind::ConfirmationRequired,
        ErrorKind::Conflict,
        ErrorKind::OlderFile,
        ErrorKind::KeyMismatch,
        ErrorKind::Ambiguous,
        ErrorKind::NotFound,
        ErrorKind::AlreadyExists,
        ErrorKind::InvalidInput,
        ErrorKind::Tampered,
        ErrorKind::WrongPassword,
        ErrorKind::CorruptBackup,
        ErrorKind::NotEmpty,
        ErrorKind::VendorRequired,
        ErrorKind::Database,
        ErrorKind::DatabaseDamaged,
        ErrorKind::ServerUnavailable,
        ErrorKind::ReadOnly,
        ErrorKind::KeychainUnavailable,
        ErrorKind::Io,
        ErrorKind::Autostart,
        ErrorKind::Internal,
    ];

    /// Stable identifier (`wrong_key`).
    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "too_large",
            ErrorKind::UnrecognizedFile => "unrecognized_file",
            ErrorKind::CorruptFile => "corrupt_file",
            ErrorKind::NotPushCertificate => "not_push_certificate",
            ErrorKind::WrongKind => "wrong_kind",
            ErrorKind::WrongKey => "wrong_key",
            ErrorKind::KeyRequired => "key_required",
            ErrorKind::InvalidKey => "invalid_key",
            ErrorKind::UnsupportedAlgorithm => "unsupported_algorithm",
            ErrorKind::IdentityChanged => "identity_changed",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::ConfirmationRequired => "confirmation_required",
            ErrorKind::Conflict => "conflict",
            ErrorKind::OlderFile => "older_file",
            ErrorKind::KeyMismatch => "key_mismatch",
            ErrorKind::Ambiguous => "ambiguous",
            ErrorKind::NotFound => "not_found",
            ErrorKind::AlreadyExists => "already_exists",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Tampered => "tampered",
            ErrorKind::WrongPassword => "wrong_password",
            ErrorKind::CorruptBackup => "corrupt_backup",
            ErrorKind::NotEmpty => "not_empty",
            ErrorKind::VendorRequired => "vendor_required",
            ErrorKind::Database => "database",
            ErrorKind::DatabaseDamaged => "database_damaged",
            ErrorKind::ServerUnavailable => "server_unavailable",
            ErrorKind::ReadOnly => "read_only",
            ErrorKind::KeychainUnavailable => "keychain_unavailable",
            ErrorKind::Io => "io",
            ErrorKind::Autostart => "autostart",
            ErrorKind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Lets tests and scripts compare a kind with its identifier: `e.kind() == "wrong_key"`.
impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

impl PartialEq<str> for ErrorKind {
    fn eq(&self, other: &str) -> bool {
        self.id() == other
    }
}
