//! Read-only connectors to the MDM consoles TokenKeeper's users run: Microsoft Intune (Graph),
//! Jamf Pro, Fleet, Kandji, SimpleMDM and JumpCloud. Each reads what its console publishes about
//! a client's APNs certificate, ADE server tokens and Apps and Books tokens, and answers the
//! core's [`Held`] facts; reconciliation and storage are the core's.
//!
//! Every call is a token request or a `GET`: nothing is ever written to an MDM. Secrets (the
//! API secret given, the bearer tokens got for it, secret-bearing fields of the answers such as
//! Intune's `vppTokens.token`) never reach a [`Held`], an error or a log.

mod connector;
mod error;
mod fleet;
mod http;
mod intune;
mod jamf;
mod jumpcloud;
mod kandji;
mod many;
mod simplemdm;
mod sync;

#[cfg(feature = "test-support")]
pub mod testing;

use std::time::{Duration, Instant};

use secrecy::SecretString;
use tokenkeeper_core::mdm::{Held, Vendor};

pub use connector::{Connector, connector};
pub use error::SyncError;
pub use http::Session;
pub use many::fetch_many;
pub use sync::{SyncOptions, endpoint, sync, sync_due, test};

/// Where a connection reads and with what: everything [`fetch`] needs. `Debug` leaves the
/// secret out.
#[derive(Clone)]
pub struct Endpoint {
    /// Which MDM.
    pub vendor: Vendor,
    /// Its base URL (`https://…`, without a trailing slash).
    pub url: String,
    /// Intune: the directory (tenant) id; JumpCloud: the organisation id, if any.
    pub tenant: Option<String>,
    /// Intune and Jamf: the OAuth client id.
    pub client_id: Option<String>,
    /// A CA certificate (PEM) to trust instead of the system's, for a console on a private CA.
    pub ca_pem: Option<String>,
    /// The API secret, token or key.
    pub secret: SecretString,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("vendor", &self.vendor)
            .field("url", &self.url)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Reads what `endpoint`'s console holds, within `timeout` for the whole connection (token
/// requests, every page, one retry).
///
/// # Errors
/// A [`SyncError`] saying what went wrong, without any secret.
pub fn fetch(endpoint: &Endpoint, timeout: Duration) -> Result<Vec<Held>, SyncError> {
    let deadline = Instant::now() + timeout;
    let mut session = http::Session::new(endpoint, deadline, timeout)?;
    connector(endpoint.vendor).fetch(&mut session)
}
