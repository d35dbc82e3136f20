//! The team's channels (e-mail, Teams, Slack, a signed webhook): list with their health, add,
//! edit, remove and send a test message. A secret (SMTP password, webhook URL, signing key)
//! comes in once and goes straight to the keychain: no answer, event or error carries it back.
//! A test message waits on the network, so it is sent from a vault of its own on a blocking
//! thread ([`VaultFile`]), never under the shared vault's lock.

use chrono::{SubsecRound, Utc};
use serde::Deserialize;
use tauri::State;
use tokenkeeper_core::vault::{
    Channel, ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, parse_smtp_url,
};
use tokenkeeper_core::{Error, ErrorBody};
use zeroize::Zeroizing;

use super::{mdm::blocking, with_vault};
use crate::{VaultFile, VaultState};

/// A channel as the form describes it, without its secret.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ChannelForm {
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// What carries it; an edit keeps the kind.
    pub kind: ChannelKind,
    /// E-mail: `smtp://HOST[:PORT]` (STARTTLS, 587) or `smtps://HOST[:PORT]` (TLS, 465); a
    /// `USER@` in it names the account when `username` is blank.
    #[specta(optional)]
    pub smtp_server: Option<String>,
    /// E-mail: the account to sign in with (blank: no authentication).
    #[specta(optional)]
    pub username: Option<String>,
    /// E-mail: the sender.
    #[specta(optional)]
    pub from: Option<String>,
    /// E-mail: the recipients.
    pub to: Vec<String>,
    /// A PEM file of extra certificate authorities to trust (a company's own CA), by path.
    #[specta(optional)]
    pub ca_file: Option<String>,
    /// The clients it serves; `null`: every client.
    pub clients: Option<Vec<String>>,
}

/// The secret parts a form takes: each blank one is left out (on edit: kept as stored).
/// Deserialized only, never sent back; its `Debug` redacts.
#[derive(Clone, Default, Deserialize, specta::Type)]
pub struct ChannelSecrets {
    /// Teams, Slack, webhook: the URL (it carries the token that lets anyone post).
    #[specta(optional)]
    pub url: Option<String>,
    /// E-mail: the SMTP password.
    #[specta(optional)]
    pub password: Option<String>,
    /// Generic webhook: the HMAC-SHA256 signing key.
    #[specta(optional)]
    pub signing_key: Option<String>,
}

impl std::fmt::Debug for ChannelSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChannelSecrets(redacted)")
    }
}

impl ChannelSecrets {
    /// The core's secret: blank parts left out, each kept in memory that is wiped on drop.
    fn into_secret(self) -> ChannelSecret {
        let given = |s: Option<String>| {
            let s = Zeroizing::new(s.unwrap_or_default());
            (!s.trim().is_empty()).then(|| Zeroizing::new(s.trim().to_owned()))
        };
        ChannelSecret {
            url: given(self.url),
            // A password is taken as typed: spaces may belong to it.
            password: self.password.map(Zeroizing::new).filter(|p| !p.is_empty()),
            signing_key: given(self.signing_key),
        }
    }
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl ChannelForm {
    /// The core's spec: the SMTP server read, blanks dropped, addresses trimmed.
    fn into_spec(self) -> tokenkeeper_core::Result<ChannelSpec> {
        let mut settings = ChannelSettings {
            ca_file: blank_to_none(self.ca_file),
            ..ChannelSettings::default()
        };
        if self.kind == ChannelKind::Email {
            let server = blank_to_none(self.smtp_server).ok_or_else(|| Error::InvalidInput {
                message: "an e-mail channel needs its SMTP server (smtp://HOST:PORT or smtps://HOST:PORT)".to_owned(),
            })?;
            let (security, user, host, port) = parse_smtp_url(&server)?;
            settings = ChannelSettings {
                host,
                port,
                security,
                username: blank_to_none(self.username).or(user),
                from: blank_to_none(self.from),
                to: self
                    .to
                    .iter()
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect(),
                ..settings
            };
        }
        Ok(ChannelSpec {
            name: self.name.trim().to_owned(),
            kind: self.kind,
            settings,
            clients: self.clients,
        })
    }
}

/// Every channel with its health and the clients it serves; a webhook shows only its host.
#[tauri::command]
#[specta::specta]
pub async fn list_channels(vault: State<'_, VaultState>) -> Result<Vec<Channel>, ErrorBody> {
    with_vault(&vault, |v| v.channels())
}

/// Adds a channel; its secret goes to the keychain and never comes back.
#[tauri::command]
#[specta::specta]
pub async fn add_channel(
    vault: State<'_, VaultState>,
    form: ChannelForm,
    secrets: ChannelSecrets,
) -> Result<Channel, ErrorBody> {
    let secret = secrets.into_secret();
    with_vault(&vault, |v| {
        v.add_channel(&form.into_spec()?, &secret, Utc::now())
    })
}

/// Changes the channel named `name` into what the form says; a blank secret keeps the stored one.
#[tauri::command]
#[specta::specta]
pub async fn update_channel(
    vault: State<'_, VaultState>,
    name: String,
    form: ChannelForm,
    secrets: ChannelSecrets,
) -> Result<Channel, ErrorBody> {
    let secret = secrets.into_secret();
    with_vault(&vault, |v| {
        v.edit_channel(&name, &form.into_spec()?, &secret, Utc::now())
    })
}

/// Removes a channel, its waiting messages and its secret.
#[tauri::command]
#[specta::specta]
pub async fn remove_channel(vault: State<'_, VaultState>, name: String) -> Result<(), ErrorBody> {
    with_vault(&vault, |v| v.remove_channel(&name, Utc::now()))
}

/// Sends a test message over the channel now and answers the channel with its new health; a
/// failed send is `invalid_input` with what the server said (recorded in the health too).
#[tauri::command]
#[specta::specta]
pub async fn test_channel(
    file: State<'_, VaultFile>,
    vault: State<'_, VaultState>,
    name: String,
) -> Result<Channel, ErrorBody> {
    let file = file.inner().clone();
    let sent = {
        let name = name.clone();
        blocking("sending the test message", move || {
            let mut v = file.open()?;
            tokenkeeper_channels::send_test(
                &mut v,
                &name,
                Utc::now().trunc_subsecs(0),
                tokenkeeper_channels::TIMEOUT,
            )
        })
        .await
    };
    // The scheduler and the tray see the new health either way.
    let channel = with_vault(&vault, |v| v.channel(&name));
    sent.and(channel)
}
