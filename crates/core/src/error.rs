//! The one error type of the core: every way reading or keeping a credential can fail, each with a
//! message that says what the file is and what to do next. Messages never carry secret values.

use serde::Serialize;

mod kind;
pub use kind::ErrorKind;

use crate::kind::Kind;

/// Files larger than this are refused before any parsing: real credentials are a few KiB.
pub const MAX_FILE_SIZE: usize = 1024 * 1024;

/// Result alias for the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Issuer and serial of the certificate a server token was encrypted for: the public half of the
/// key pair whose certificate was uploaded to the MDM server entry in ABM or ASM.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Recipient {
    /// Issuer distinguished name, as `C=DE, O=..., CN=...`.
    pub issuer: String,
    /// Serial number, lowercase hex without leading zero bytes.
    pub serial: String,
}

impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (serial {})", self.issuer, self.serial)
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is larger than [`MAX_FILE_SIZE`]; no credential is that big. The user picked the
    /// wrong file.
    #[error(
        "this file is {size} bytes, far larger than any Apple credential (a few KiB): choose the .pem, .p7m or .vpptoken file Apple gave you"
    )]
    TooLarge {
        /// Size in bytes.
        size: usize,
    },

    /// The content is none of the three credentials. `what` names what it looks like, when known.
    #[error("{}", unrecognized_message(.what))]
    Unrecognized {
        /// What the file appears to be ("a PNG image", "a private key"), if it could be told.
        what: Option<String>,
    },

    /// The file is one of the three kinds but damaged or truncated.
    #[error("this looks like {} but it is damaged: {detail}; {}", .kind.article_name(), .kind.download_again())]
    Corrupt {
        /// What the file is.
        kind: Kind,
        /// What is wrong, in plain words, never with secret values.
        detail: String,
    },

    /// A certificate that is not an MDM push certificate (no UID, or a UID without the
    /// `com.apple.mgmt.` prefix).
    #[error(
        "this is a certificate ({subject}) but not an MDM push certificate: {reason}; download the push certificate from identity.apple.com (Apple Push Certificates Portal)"
    )]
    NotPushCertificate {
        /// Subject of the certificate found.
        subject: String,
        /// Why it is not a push certificate.
        reason: String,
    },

    /// The file is a valid credential of another kind than the one expected (dropped on the wrong
    /// zone, passed to the wrong command).
    #[error("this is {}, not {}: drop it on {}", .found.article_name(), .expected.article_name(), .found.zone_name())]
    WrongKind {
        /// The kind the caller asked for.
        expected: Kind,
        /// The kind the content really is.
        found: Kind,
    },

    /// The private key given does not decrypt this server token.
    #[error(
        "this ADE server token was encrypted for another key: the certificate {recipient}; use the private key of that certificate (the one uploaded to this MDM server in Apple Business Manager)"
    )]
    WrongKey {
        /// The certificate the token was made for.
        recipient: Recipient,
    },

    /// A private key is needed for this operation and none was given or none is on record.
    #[error("{what} needs a private key: {hint}")]
    KeyRequired {
        /// What needs the key.
        what: String,
        /// How to provide it.
        hint: String,
    },

    /// The private key file cannot be read.
    #[error("the private key cannot be read: {detail}")]
    InvalidKey {
        /// What is wrong with it.
        detail: String,
    },

    /// The credential uses an algorithm TokenKeeper does not implement.
    #[error(
        "this {} uses {algorithm}, which TokenKeeper does not support (Apple uses RSA with AES-CBC); report it with the file's origin",
        .kind.display_name()
    )]
    UnsupportedAlgorithm {
        /// What the file is.
        kind: Kind,
        /// The algorithm, by name or OID.
        algorithm: String,
    },

    /// A renewal would change the credential's identity, or add one beside an existing one, and
    /// the user has not confirmed it. The warning says what would break.
    #[error("{message}")]
    NeedsConfirmation {
        /// Which risk.
        warning: crate::warning::WarningKind,
        /// What would happen and the way out.
        message: String,
    },

    /// The file, or its identity, is already on record for another credential.
    #[error("{message}")]
    Duplicate {
        /// Where it is on record and what to do.
        message: String,
    },

    /// Someone else (another window, another process, a teammate) changed the credential while
    /// this change was being checked: nothing was written; look at the new state and decide
    /// again.
    #[error("{message}")]
    Conflict {
        /// What changed, who or where it came from and when, and what to do.
        message: String,
    },

    /// The file is older than the version on record.
    #[error("{message}")]
    OlderFile {
        /// Both dates and what to do.
        message: String,
    },

    /// A push certificate does not match the private key on record (or the key given).
    #[error("{message}")]
    KeyMismatch {
        /// Which key and what to do.
        message: String,
    },

    /// Several credentials could be the one renewed; the user must say which.
    #[error("{message}")]
    Ambiguous {
        /// The candidates and what to do.
        message: String,
    },

    /// A client or credential named by the user does not exist.
    #[error("{what} not found{hint}")]
    NotFound {
        /// What was looked for.
        what: String,
        /// How to list what exists.
        hint: String,
    },

    /// A client with this name already exists.
    #[error("{what} already exists")]
    AlreadyExists {
        /// What.
        what: String,
    },

    /// A value typed by the user is not acceptable.
    #[error("{message}")]
    InvalidInput {
        /// What is wrong and what is expected.
        message: String,
    },

    /// A stored secret no longer matches its recorded hash, or vanished from the keychain.
    #[error("{message}")]
    Tampered {
        /// Which credential and what to do.
        message: String,
    },

    /// A password-protected file (a PKCS#12, an encrypted PEM key, a backup) did not open with
    /// the password given. The user types it again; nothing was changed.
    #[error(
        "{what} did not open with this password: check it (it is case-sensitive) and try again; nothing was changed"
    )]
    WrongPassword {
        /// What was being opened ("the backup", "the PKCS#12 file").
        what: String,
    },

    /// A backup file is damaged, truncated, or not a TokenKeeper backup. Nothing was restored;
    /// the user takes another copy of the backup.
    #[error(
        "this backup cannot be restored: {detail}; nothing was changed: use another copy of the backup"
    )]
    CorruptBackup {
        /// What is wrong, never with secret values.
        detail: String,
    },

    /// A restore would overwrite a vault that already holds clients or keys.
    #[error("{message}")]
    NotEmpty {
        /// What is there and the way out (`--force`).
        message: String,
    },

    /// A push request must be signed by an MDM vendor and no vendor certificate is on record.
    #[error("{message}")]
    VendorRequired {
        /// The plain explanation: who signs a CSR, and the tracked-only alternative.
        message: String,
    },

    /// The OS keychain cannot be used right now: it is locked, access was refused, no keychain
    /// service is running (Linux without gnome-keyring or KWallet), or the platform reported a
    /// failure. Nothing was stored or read; the user unlocks the keychain and tries again.
    #[error(
        "the OS keychain is locked or unavailable ({detail}): unlock it (log in to the desktop session, or start gnome-keyring / KWallet on Linux) and try again; nothing was saved"
    )]
    KeychainUnavailable {
        /// What the platform said, never with secret values.
        detail: String,
    },

    /// The database cannot be read or written.
    #[error("the TokenKeeper database failed: {detail}; nothing was changed")]
    Database {
        /// SQLite's message.
        detail: String,
    },

    /// The team's database server cannot be reached: stopped, the network down, the
    /// connection lost. Nothing was changed.
    #[error(
        "the team's database server cannot be reached ({detail}); nothing was changed: check the network or ask whoever runs the server, then try again"
    )]
    ServerUnavailable {
        /// What failed, naming the server (never its password).
        detail: String,
    },

    /// The vault shows a copy of the team's data while its server is away, and changes
    /// nothing until it is back.
    #[error("{reason}")]
    ReadOnly {
        /// Since when, and what to expect.
        reason: String,
    },

    /// SQLite reports the database file itself damaged (a bad page, or not a database at all):
    /// a disk fault, a crash on unreliable storage, or a file changed by another program. The
    /// user runs `tokenkeeper verify` to see what is affected and restores a backup.
    #[error(
        "the database file is damaged ({detail}): run `tokenkeeper verify` to see what is affected, then restore your latest backup with `tokenkeeper restore FILE --force` (keep a copy of the damaged file first)"
    )]
    DatabaseDamaged {
        /// SQLite's message.
        detail: String,
    },

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: String,
        /// The system error.
        #[source]
        source: std::io::Error,
    },
}

fn unrecognized_message(what: &Option<String>) -> String {
    match what {
        Some(what) => format!(
            "this is {what}, not an Apple MDM credential: TokenKeeper reads APNs push certificates (.pem), ADE server tokens (*_smime.p7m) and Apps and Books tokens (.vpptoken)"
        ),
        None => "this file is not an Apple MDM credential: TokenKeeper reads APNs push certificates (.pem), ADE server tokens (*_smime.p7m) and Apps and Books tokens (.vpptoken)".to_owned(),
    }
}

impl Error {
    /// Stable machine-readable kind, as in the command-line contract; the UI switches on it.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::TooLarge { .. } => ErrorKind::TooLarge,
            Error::Unrecognized { .. } => ErrorKind::UnrecognizedFile,
            Error::Corrupt { .. } => ErrorKind::CorruptFile,
            Error::NotPushCertificate { .. } => ErrorKind::NotPushCertificate,
            Error::WrongKind { .. } => ErrorKind::WrongKind,
            Error::WrongKey { .. } => ErrorKind::WrongKey,
            Error::KeyRequired { .. } => ErrorKind::KeyRequired,
            Error::InvalidKey { .. } => ErrorKind::InvalidKey,
            Error::UnsupportedAlgorithm { .. } => ErrorKind::UnsupportedAlgorithm,
            Error::NeedsConfirmation { warning, .. } => match warning {
                crate::warning::WarningKind::NewTopic => ErrorKind::IdentityChanged,
                crate::warning::WarningKind::NewLocation => ErrorKind::Duplicate,
                _ => ErrorKind::ConfirmationRequired,
            },
            Error::Duplicate { .. } => ErrorKind::Duplicate,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::OlderFile { .. } => ErrorKind::OlderFile,
            Error::KeyMismatch { .. } => ErrorKind::KeyMismatch,
            Error::Ambiguous { .. } => ErrorKind::Ambiguous,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Tampered { .. } => ErrorKind::Tampered,
            Error::WrongPassword { .. } => ErrorKind::WrongPassword,
            Error::CorruptBackup { .. } => ErrorKind::CorruptBackup,
            Error::NotEmpty { .. } => ErrorKind::NotEmpty,
            Error::VendorRequired { .. } => ErrorKind::VendorRequired,
            Error::Database { .. } => ErrorKind::Database,
            Error::DatabaseDamaged { .. } => ErrorKind::DatabaseDamaged,
            Error::ServerUnavailable { .. } => ErrorKind::ServerUnavailable,
            Error::ReadOnly { .. } => ErrorKind::ReadOnly,
            Error::KeychainUnavailable { .. } => ErrorKind::KeychainUnavailable,
            Error::Io { .. } => ErrorKind::Io,
        }
    }

    /// The `{kind, message}` object sent to the UI and printed by `--json`.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            kind: self.kind(),
            message: self.to_string(),
        }
    }

    pub(crate) fn corrupt(kind: Kind, detail: impl Into<String>) -> Self {
        Error::Corrupt {
            kind,
            detail: detail.into(),
        }
    }

    pub(crate) fn unrecognized(what: impl Into<String>) -> Self {
        Error::Unrecognized {
            what: Some(what.into()),
        }
    }
}

/// Serializable form of an [`Error`]: what crosses IPC and what `--json` prints.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErrorBody {
    /// Stable kind, such as `wrong_key`.
    pub kind: ErrorKind,
    /// The message for the user.
    pub message: String,
}
