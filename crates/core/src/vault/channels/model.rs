//! A channel's kinds, settings, secret, health and the spec a user gives.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// What carries a channel's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// E-mail over SMTP with TLS.
    Email,
    /// A Microsoft Teams Workflows webhook taking an Adaptive Card.
    Teams,
    /// A Slack incoming webhook.
    Slack,
    /// A generic JSON webhook, signed with HMAC-SHA256.
    Webhook,
}

impl ChannelKind {
    /// Stable identifier, as stored.
    pub fn id(self) -> &'static str {
        match self {
            ChannelKind::Email => "email",
            ChannelKind::Teams => "teams",
            ChannelKind::Slack => "slack",
            ChannelKind::Webhook => "webhook",
        }
    }

    /// Parses an identifier (`generic` names the webhook too, as the CLI's `--format` says).
    pub fn parse(id: &str) -> Option<Self> {
        match id.trim().to_ascii_lowercase().as_str() {
            "email" => Some(ChannelKind::Email),
            "teams" => Some(ChannelKind::Teams),
            "slack" => Some(ChannelKind::Slack),
            "webhook" | "generic" => Some(ChannelKind::Webhook),
            _ => None,
        }
    }
}

/// How an SMTP connection is protected: never in the clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (`smtp://`, port 587 by default).
    Starttls,
    /// TLS from the first byte (`smtps://`, port 465 by default).
    Tls,
}

/// The public settings of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelSettings {
    /// E-mail: the SMTP server's host name.
    pub host: String,
    /// E-mail: its port.
    pub port: u16,
    /// E-mail: STARTTLS or implicit TLS.
    pub security: SmtpSecurity,
    /// E-mail: the account to sign in with (none: no authentication).
    pub username: Option<String>,
    /// E-mail: the sender.
    pub from: Option<String>,
    /// E-mail: the recipients.
    pub to: Vec<String>,
    /// A PEM file of extra certificate authorities to trust (a company's own CA).
    pub ca_file: Option<String>,
}

impl Default for ChannelSettings {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 0,
            security: SmtpSecurity::Starttls,
            username: None,
            from: None,
            to: Vec::new(),
            ca_file: None,
        }
    }
}

/// A channel's secret part, read from the keychain only to deliver. Never serialized, never
/// printed: its `Debug` redacts.
#[derive(Clone, Default)]
pub struct ChannelSecret {
    /// A webhook's URL (it carries the token that lets anyone post).
    pub url: Option<Zeroizing<String>>,
    /// An SMTP password.
    pub password: Option<Zeroizing<String>>,
    /// A generic webhook's signing key (HMAC-SHA256).
    pub signing_key: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for ChannelSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChannelSecret(redacted)")
    }
}

/// How the secret is kept in the keychain (a private shape, never sent anywhere else).
#[derive(Serialize, Deserialize, Default)]
struct StoredSecret {
    url: Option<String>,
    password: Option<String>,
    signing_key: Option<String>,
}

impl ChannelSecret {
    pub(super) fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let stored = StoredSecret {
            url: self.url.as_ref().map(|s| s.to_string()),
            password: self.password.as_ref().map(|s| s.to_string()),
            signing_key: self.signing_key.as_ref().map(|s| s.to_string()),
        };
        Zeroizing::new(serde_json::to_vec(&stored).unwrap_or_default())
    }

    pub(super) fn from_bytes(bytes: &[u8]) -> Self {
        let stored: StoredSecret = serde_json::from_slice(bytes).unwrap_or_default();
        Self {
            url: stored.url.map(Zeroizing::new),
            password: stored.password.map(Zeroizing::new),
            signing_key: stored.signing_key.map(Zeroizing::new),
        }
    }
}

/// Whether a channel delivers, as the app, the tray and `status` show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ChannelHealth {
    /// The last message (or test) delivered.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last failed attempt.
    pub last_failure_at: Option<DateTime<Utc>>,
    /// What the last failure said (never a secret).
    pub last_error: Option<String>,
    /// Failed attempts since the last success.
    pub failures: u32,
    /// Messages waiting in the outbox.
    pub pending: u32,
    /// Failing often enough to be shown as a problem.
    pub problem: bool,
}

/// A channel as listed: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Channel {
    /// Stable id.
    pub uid: String,
    /// Unique name (case-insensitive).
    pub name: String,
    /// What carries it.
    pub kind: ChannelKind,
    /// Where a webhook posts, without its path (which carries the token): `https://host`.
    pub endpoint: Option<String>,
    /// Public settings.
    pub settings: ChannelSettings,
    /// The clients it serves; `None`: every client.
    pub clients: Option<Vec<String>>,
    /// Whether it delivers.
    pub health: ChannelHealth,
}

/// A channel to add, or what a channel becomes on edit.
#[derive(Debug, Clone)]
pub struct ChannelSpec {
    /// Its name.
    pub name: String,
    /// What carries it.
    pub kind: ChannelKind,
    /// Public settings (e-mail; `ca_file` for any).
    pub settings: ChannelSettings,
    /// The clients it serves; `None`: every client.
    pub clients: Option<Vec<String>>,
}
