//! What an MDM connection is made of: the form a user fills in and the settings checked from
//! it, a connection as listed, what a connector needs to read it, and a sync's report.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use super::super::limits::{self, Field};
use crate::error::{Error, Result};
use crate::mdm::{Held, Vendor};
use crate::token::Kind;

/// A connection as the user fills it in (the form, the command line). The secret travels
/// apart from it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmForm {
    /// A unique name ("Acme Intune").
    pub name: String,
    /// The client it belongs to.
    pub client: String,
    /// The vendor's id (`intune`, `jamf`, ...).
    pub vendor: String,
    /// The console's base URL; empty for the vendor's default.
    pub url: String,
    /// Intune's tenant id, JumpCloud's organisation id.
    pub tenant: String,
    /// Intune's and Jamf's OAuth client id.
    pub client_id: String,
    /// A CA certificate (PEM) for a console on a private CA; empty for the system's.
    pub ca_pem: String,
}

/// A connection's settings, checked: what the connectors use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdmSettings {
    /// Its name.
    pub name: String,
    /// Its client's name, as typed.
    pub client: String,
    /// Which MDM.
    pub vendor: Vendor,
    /// Base URL, checked, without a trailing slash.
    pub url: String,
    /// Tenant or organisation id.
    pub tenant: Option<String>,
    /// OAuth client id.
    pub client_id: Option<String>,
    /// CA certificate (PEM).
    pub ca_pem: Option<String>,
}

fn given(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl MdmForm {
    /// Checks the form: a name, a known vendor, an `https://` address (the vendor's default
    /// when there is one), the ids the vendor needs, a CA that is a PEM certificate.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] saying what to fix.
    pub fn check(&self) -> Result<MdmSettings> {
        let invalid = |message: String| Error::InvalidInput { message };
        let name = self.name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(invalid("an MDM connection needs a name".to_owned()));
        }
        limits::check(Field::ClientName, name)?;
        let vendor = Vendor::parse(&self.vendor)?;
        let url = match (given(&self.url), vendor.default_url()) {
            (Some(url), _) => url,
            (None, Some(url)) => url.to_owned(),
            (None, None) => {
                return Err(invalid(format!(
                    "{} needs its address (the URL of the console, such as https://acme.example.com)",
                    vendor.name()
                )));
            }
        };
        let url = crate::apple::checked_url(
            &url,
            "an MDM's address",
            "https://acme.jamfcloud.com",
            "the API secret travels with every call, so use https",
        )?;
        let tenant = given(&self.tenant);
        if vendor.needs_tenant() && tenant.is_none() {
            return Err(invalid(format!(
                "{} needs the tenant (directory) id",
                vendor.name()
            )));
        }
        let client_id = given(&self.client_id);
        if vendor.needs_client_id() && client_id.is_none() {
            return Err(invalid(format!(
                "{} needs the API client's id",
                vendor.name()
            )));
        }
        for (what, v) in [("tenant id", &tenant), ("client id", &client_id)] {
            if v.as_deref().is_some_and(|v| {
                v.len() > 200 || v.chars().any(|c| c.is_control() || c.is_whitespace())
            }) {
                return Err(invalid(format!(
                    "the {what} must be one word of at most 200 characters"
                )));
            }
        }
        let ca_pem = given(&self.ca_pem);
        if let Some(pem) = &ca_pem {
            if pem.len() > 64 * 1024
                || openssl::x509::X509::stack_from_pem(pem.as_bytes())
                    .map_or(true, |s| s.is_empty())
            {
                return Err(invalid(
                    "the CA file is not a PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned(),
                ));
            }
        }
        Ok(MdmSettings {
            name: name.to_owned(),
            client: self.client.trim().to_owned(),
            vendor,
            url,
            tenant,
            client_id,
            ca_pem,
        })
    }
}

/// A connection on record, as listed. No secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmConnection {
    /// Stable id.
    pub uid: String,
    /// Its name.
    pub name: String,
    /// Its client.
    pub client: String,
    /// Which MDM.
    pub vendor: Vendor,
    /// Base URL.
    pub url: String,
    /// Tenant or organisation id.
    pub tenant: Option<String>,
    /// OAuth client id (not a secret).
    pub client_id: Option<String>,
    /// Whether it trusts a CA of its own.
    pub own_ca: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// The last successful sync.
    pub synced_at: Option<DateTime<Utc>>,
    /// The last attempt, successful or not.
    pub attempted_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (`None` when it succeeded).
    pub last_error: Option<String>,
    /// How many credentials it held at the last successful sync.
    pub held: u32,
}

/// What a connector needs for one connection: its settings and its secret (redacted in
/// `Debug`, never serialized).
#[derive(Debug, Clone)]
pub struct MdmAccess {
    /// The connection's uid, to record the result.
    pub uid: String,
    /// Its settings.
    pub settings: MdmSettings,
    /// Its API secret; `None` when it is missing from the keychain.
    pub secret: Option<SecretString>,
}

/// One connection's sync (or test), as reported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmSyncReport {
    /// The connection's name.
    pub connection: String,
    /// Its MDM.
    pub vendor: Vendor,
    /// Whether it was read.
    pub ok: bool,
    /// Push certificates it holds.
    pub push_certificates: u32,
    /// ADE server tokens it holds.
    pub server_tokens: u32,
    /// Apps and Books tokens it holds.
    pub content_tokens: u32,
    /// Why it could not be read.
    pub error: Option<String>,
}

impl MdmSyncReport {
    /// The report of reading `held` from `connection` (or failing with `error`).
    pub fn new(
        connection: &str,
        vendor: Vendor,
        outcome: &std::result::Result<Vec<Held>, String>,
    ) -> Self {
        let count = |k: Kind| match outcome {
            Ok(held) => {
                u32::try_from(held.iter().filter(|h| h.kind == k).count()).unwrap_or(u32::MAX)
            }
            Err(_) => 0,
        };
        Self {
            connection: connection.to_owned(),
            vendor,
            ok: outcome.is_ok(),
            push_certificates: count(Kind::PushCertificate),
            server_tokens: count(Kind::ServerToken),
            content_tokens: count(Kind::ContentToken),
            error: outcome.as_ref().err().cloned(),
        }
    }

    /// "1 push certificate, 2 ADE tokens, 0 Apps and Books tokens".
    pub fn summary(&self) -> String {
        format!(
            "{} push certificate(s), {} ADE token(s), {} Apps and Books token(s)",
            self.push_certificates, self.server_tokens, self.content_tokens
        )
    }
}
