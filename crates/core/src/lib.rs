//! TokenKeeper's core: everything it knows about Apple's three MDM credentials (APNs push
//! certificates, ADE server tokens, Apps and Books tokens), with no user interface of its own.
//! The desktop app and the `tokenkeeper` command line are thin shells over this crate.
#![warn(missing_docs)]

pub mod alerts;
pub mod apple;
pub mod audit;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod export;
pub mod file;
pub mod kind;
pub mod mdm;
pub mod monitoring;
pub mod overview;
pub mod pki;
pub mod reminders;
pub mod renewal;
pub mod report;
pub mod secrets;
pub mod status;
pub mod summary;
pub mod team;
pub mod token;
pub mod vault;
pub mod warning;
pub mod words;

#[cfg(feature = "test-support")]
pub mod testing;

pub use error::{Error, ErrorBody, Recipient, Result};
pub use export::{ExportFormat, export};
pub use file::read_credential_file;
pub use report::{Listing, Report, SummaryRef};
pub use secrets::{Keychain, MemoryStore, SecretStore};
pub use status::{State, Status, Thresholds, status};
pub use summary::{CredentialSummary, Portal};
pub use token::{Credential, Kind, PrivateKey, read, read_as};
pub use vault::{Orphan, STAGING_GRACE, Sweep, Vault};
