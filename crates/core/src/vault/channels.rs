//! The team's channels: e-mail over SMTP, Microsoft Teams, Slack and a generic JSON webhook.
//! What is public (the SMTP server, the sender and recipients, the clients a channel serves,
//! its health) is in the database; what is secret (the SMTP password, the webhook URL, which
//! carries a token, the signing key) is in the keychain only, journaled like every secret.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{EventKind, Vault, events, new_uid, parse_ts, staging, ts};
use crate::alerts::FAILING_AFTER;
use crate::error::{Error, Result};

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
    fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let stored = StoredSecret {
            url: self.url.as_ref().map(|s| s.to_string()),
            password: self.password.as_ref().map(|s| s.to_string()),
            signing_key: self.signing_key.as_ref().map(|s| s.to_string()),
        };
        Zeroizing::new(serde_json::to_vec(&stored).unwrap_or_default())
    }

    fn from_bytes(bytes: &[u8]) -> Self {
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

/// `https://host[:port]` of a URL, checking it is https (or http to this computer).
///
/// # Errors
/// [`Error::InvalidInput`] (the message never repeats the URL: it may carry a token).
pub fn webhook_endpoint(url: &str) -> Result<String> {
    let bad = |why: &str| Error::InvalidInput {
        message: format!("the webhook address {why}"),
    };
    let (scheme, rest) = url
        .trim()
        .split_once("://")
        .ok_or_else(|| bad("is not a URL (it starts with https://)"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    if host_port.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("has no host, or contains spaces"));
    }
    let host = crate::apple::host_of(host_port);
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if crate::apple::is_loopback(host) => {}
        "http" => return Err(bad("must use https:// (http:// only for this computer)")),
        _ => return Err(bad("must start with https://")),
    }
    Ok(format!("{}://{host_port}", scheme.to_ascii_lowercase()))
}

/// Reads `smtp://[USER@]HOST[:PORT]` (STARTTLS, port 587) or `smtps://…` (TLS, port 465).
///
/// # Errors
/// [`Error::InvalidInput`].
pub fn parse_smtp_url(url: &str) -> Result<(SmtpSecurity, Option<String>, String, u16)> {
    let bad = || Error::InvalidInput {
        message:
            "an SMTP server is smtp://USER@HOST:PORT (STARTTLS) or smtps://USER@HOST:PORT (TLS)"
                .to_owned(),
    };
    let (scheme, rest) = url.trim().split_once("://").ok_or_else(bad)?;
    let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "smtp" => (SmtpSecurity::Starttls, 587),
        "smtps" => (SmtpSecurity::Tls, 465),
        _ => return Err(bad()),
    };
    let rest = rest.trim_end_matches('/');
    let (user, host_port) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_owned()).filter(|u| !u.is_empty()), h),
        None => (None, rest),
    };
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or_else(bad)?;
        match after.strip_prefix(':') {
            Some(p) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None if after.is_empty() => (h, default_port),
            None => return Err(bad()),
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (host_port, default_port),
        }
    };
    let printable = |s: &str| {
        !s.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '/')
    };
    if !printable(host) || port == 0 || user.as_deref().is_some_and(|u| !printable(u)) {
        return Err(bad());
    }
    Ok((security, user, host.to_owned(), port))
}

/// Checks an e-mail address (one `@`, something on each side, no spaces or brackets).
///
/// # Errors
/// [`Error::InvalidInput`].
pub fn check_email(address: &str) -> Result<String> {
    let a = address.trim();
    let ok = a.len() <= 254
        && a.split('@').count() == 2
        && a.split('@').all(|p| !p.is_empty())
        && !a
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c));
    if ok {
        Ok(a.to_owned())
    } else {
        Err(Error::InvalidInput {
            message: format!("\"{a}\" is not an e-mail address"),
        })
    }
}

fn channel_not_found(name: &str) -> Error {
    Error::NotFound {
        what: format!("channel \"{name}\""),
        hint: ": `tokenkeeper channel list` shows the channels".to_owned(),
    }
}

/// Checks a spec and its secret together: what each kind needs.
fn check_spec(spec: &ChannelSpec, secret: Option<&ChannelSecret>) -> Result<Option<String>> {
    let invalid = |m: &str| Error::InvalidInput {
        message: m.to_owned(),
    };
    let name = spec.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 100 {
        return Err(invalid(
            "a channel needs a name (printable, at most 100 characters)",
        ));
    }
    match spec.kind {
        ChannelKind::Email => {
            let s = &spec.settings;
            if s.host.is_empty() || s.port == 0 {
                return Err(invalid("an e-mail channel needs its SMTP server"));
            }
            check_email(s.from.as_deref().unwrap_or_default())?;
            if s.to.is_empty() {
                return Err(invalid(
                    "an e-mail channel needs at least one recipient (--to)",
                ));
            }
            for to in &s.to {
                check_email(to)?;
            }
            if s.username.is_some() && secret.is_some_and(|x| x.password.is_none()) {
                return Err(invalid("an SMTP account needs its password"));
            }
            Ok(None)
        }
        _ => match secret {
            Some(x) => {
                let url = x
                    .url
                    .as_deref()
                    .ok_or_else(|| invalid("a webhook channel needs its URL"))?;
                Ok(Some(webhook_endpoint(url)?))
            }
            None => Ok(None),
        },
    }
}

impl Vault {
    /// Every channel, by name, with its health.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn channels(&self) -> Result<Vec<Channel>> {
        let conn = self.db.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT ch.id, ch.uid, ch.name, ch.kind, ch.settings, ch.all_clients,
                    ch.last_success_at, ch.last_failure_at, ch.last_error, ch.failures,
                    (SELECT COUNT(*) FROM outbox o WHERE o.channel_id = ch.id
                       AND o.delivered_at IS NULL)
             FROM channels ch ORDER BY ch.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            let settings: String = r.get(4)?;
            let stored: StoredPublic = serde_json::from_str(&settings).unwrap_or_default();
            let failures: u32 = r.get(9)?;
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(5)?,
                Channel {
                    uid: r.get(1)?,
                    name: r.get(2)?,
                    kind: ChannelKind::parse(r.get_ref(3)?.as_str()?)
                        .unwrap_or(ChannelKind::Webhook),
                    endpoint: stored.endpoint,
                    settings: stored.settings,
                    clients: None,
                    health: ChannelHealth {
                        last_success_at: r.get_ref(6)?.as_str_or_null()?.and_then(parse_ts),
                        last_failure_at: r.get_ref(7)?.as_str_or_null()?.and_then(parse_ts),
                        last_error: r.get(8)?,
                        failures,
                        pending: r.get(10)?,
                        problem: failures >= FAILING_AFTER,
                    },
                },
            ))
        })?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let mut names = conn.prepare_cached(
            "SELECT c.name FROM channel_clients cc JOIN clients c ON c.id = cc.client_id
             WHERE cc.channel_id = ?1 ORDER BY c.name COLLATE NOCASE",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, all, mut ch) in rows {
            if !all {
                let clients = names.query_map([id], |r| r.get(0))?;
                ch.clients = Some(clients.collect::<rusqlite::Result<Vec<String>>>()?);
            }
            out.push(ch);
        }
        Ok(out)
    }

    /// One channel by name (case-insensitive).
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn channel(&self, name: &str) -> Result<Channel> {
        self.channels()?
            .into_iter()
            .find(|c| c.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| channel_not_found(name))
    }

    /// Adds a channel; its secret goes to the keychain, never to the database.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for what the kind lacks or an address that is not https (or
    /// SMTP with TLS); [`Error::AlreadyExists`]; [`Error::NotFound`] for an unknown client;
    /// [`Error::KeychainUnavailable`]; [`Error::Database`].
    pub fn add_channel(
        &mut self,
        spec: &ChannelSpec,
        secret: &ChannelSecret,
        now: DateTime<Utc>,
    ) -> Result<Channel> {
        let endpoint = check_spec(spec, Some(secret))?;
        let client_ids = self.client_ids(spec.clients.as_deref())?;
        let uid = new_uid();
        let account = staging::attempt_account(&format!("channel/{uid}"), "secret", 1);
        self.stage_secret(&account, &secret.to_bytes(), now)?;
        let public = public_json(spec, endpoint);
        let name = spec.name.trim().to_owned();
        let written = self.db.write(|tx| {
            staging::claim(tx, &[&account])?;
            let inserted = tx.execute(
                "INSERT INTO channels (uid, name, kind, settings, secret_ref, all_clients, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT DO NOTHING",
                params![uid, name, spec.kind.id(), public, account, client_ids.is_none(), ts(now)],
            )?;
            if inserted == 0 {
                return Err(Error::AlreadyExists {
                    what: format!("a channel named \"{name}\""),
                });
            }
            set_clients(tx, &uid, client_ids.as_deref())?;
            events::append(
                tx,
                now,
                EventKind::ChannelAdded,
                None,
                None,
                &format!("channel \"{name}\" added ({})", spec.kind.id()),
            )
        });
        if let Err(e) = written {
            self.forget_secrets(&[account]);
            return Err(e);
        }
        self.channel(&name)
    }

    /// Changes a channel: `spec` is what it becomes; `secret`, when given, replaces its secret.
    ///
    /// # Errors
    /// As [`Vault::add_channel`].
    pub fn update_channel(
        &mut self,
        name: &str,
        spec: &ChannelSpec,
        secret: Option<&ChannelSecret>,
        now: DateTime<Utc>,
    ) -> Result<Channel> {
        let current = self.channel(name)?;
        if spec.kind != current.kind {
            return Err(Error::InvalidInput {
                message: "a channel keeps its kind: remove it and add a new one".to_owned(),
            });
        }
        let endpoint = check_spec(spec, secret)?.or(current.endpoint.clone());
        let client_ids = self.client_ids(spec.clients.as_deref())?;
        let new_account = match secret {
            Some(s) => {
                let account =
                    staging::attempt_account(&format!("channel/{}", current.uid), "secret", 1);
                self.stage_secret(&account, &s.to_bytes(), now)?;
                Some(account)
            }
            None => None,
        };
        let public = public_json(spec, endpoint);
        let new_name = spec.name.trim().to_owned();
        let written = self.db.write(|tx| {
            let taken: Option<String> = tx
                .query_row(
                    "SELECT uid FROM channels WHERE name = ?1 COLLATE NOCASE AND uid != ?2",
                    params![new_name, current.uid],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Err(Error::AlreadyExists {
                    what: format!("a channel named \"{new_name}\""),
                });
            }
            let mut old_account = None;
            if let Some(account) = &new_account {
                staging::claim(tx, &[account])?;
                let old: String = tx.query_row(
                    "SELECT secret_ref FROM channels WHERE uid = ?1",
                    [&current.uid],
                    |r| r.get(0),
                )?;
                staging::retire(tx, std::slice::from_ref(&old), now)?;
                tx.execute(
                    "UPDATE channels SET secret_ref = ?1 WHERE uid = ?2",
                    params![account, current.uid],
                )?;
                old_account = Some(old);
            }
            tx.execute(
                "UPDATE channels SET name = ?1, settings = ?2, all_clients = ?3, updated_at = ?4
                 WHERE uid = ?5",
                params![new_name, public, client_ids.is_none(), ts(now), current.uid],
            )?;
            set_clients(tx, &current.uid, client_ids.as_deref())?;
            events::append(
                tx,
                now,
                EventKind::ChannelUpdated,
                None,
                None,
                &format!("channel \"{new_name}\" changed"),
            )?;
            Ok(old_account)
        });
        match written {
            Ok(old) => self.forget_secrets(&old.into_iter().collect::<Vec<_>>()),
            Err(e) => {
                self.forget_secrets(&new_account.into_iter().collect::<Vec<_>>());
                return Err(e);
            }
        }
        self.channel(&new_name)
    }

    /// Changes a channel as an edit form does: each part of `secret` that is given replaces the
    /// stored one and each part left out is kept (the form never shows a secret, so a blank field
    /// means "unchanged"). A secret the keychain lost counts as empty.
    ///
    /// # Errors
    /// As [`Vault::update_channel`].
    pub fn edit_channel(
        &mut self,
        name: &str,
        spec: &ChannelSpec,
        secret: &ChannelSecret,
        now: DateTime<Utc>,
    ) -> Result<Channel> {
        if secret.url.is_none() && secret.password.is_none() && secret.signing_key.is_none() {
            return self.update_channel(name, spec, None, now);
        }
        let current = self.channel(name)?;
        let account: String = self.db.conn().query_row(
            "SELECT secret_ref FROM channels WHERE uid = ?1",
            [&current.uid],
            |r| r.get(0),
        )?;
        let stored = match self.channel_secret(&account, &current.name) {
            Ok(s) => s,
            Err(Error::NotFound { .. }) => ChannelSecret::default(),
            Err(e) => return Err(e),
        };
        let merged = ChannelSecret {
            url: secret.url.clone().or(stored.url),
            password: secret.password.clone().or(stored.password),
            signing_key: secret.signing_key.clone().or(stored.signing_key),
        };
        self.update_channel(name, spec, Some(&merged), now)
    }

    /// Removes a channel, its waiting messages and its secret.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn remove_channel(&mut self, name: &str, now: DateTime<Utc>) -> Result<()> {
        let current = self.channel(name)?;
        let account = self.db.write(|tx| {
            let account: String = tx.query_row(
                "SELECT secret_ref FROM channels WHERE uid = ?1",
                [&current.uid],
                |r| r.get(0),
            )?;
            staging::retire(tx, std::slice::from_ref(&account), now)?;
            tx.execute("DELETE FROM channels WHERE uid = ?1", [&current.uid])?;
            events::append(
                tx,
                now,
                EventKind::ChannelRemoved,
                None,
                None,
                &format!("channel \"{}\" removed", current.name),
            )?;
            Ok(account)
        })?;
        self.forget_secrets(&[account]);
        Ok(())
    }

    /// A channel's secret, read from the keychain to deliver.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the keychain lost it; [`Error::KeychainUnavailable`].
    pub(super) fn channel_secret(&self, account: &str, name: &str) -> Result<ChannelSecret> {
        let bytes = self.secrets.get(account)?.ok_or_else(|| Error::NotFound {
            what: format!("the secret of channel \"{name}\" in the keychain"),
            hint: ": edit the channel to enter it again".to_owned(),
        })?;
        Ok(ChannelSecret::from_bytes(&bytes))
    }

    /// The database ids of the named clients; `None` for every client.
    fn client_ids(&self, names: Option<&[String]>) -> Result<Option<Vec<i64>>> {
        let Some(names) = names else {
            return Ok(None);
        };
        let mut stmt = self
            .db
            .conn()
            .prepare_cached("SELECT id FROM clients WHERE name = ?1 COLLATE NOCASE")?;
        let mut ids = Vec::new();
        for n in names {
            let id: Option<i64> = stmt.query_row([n.trim()], |r| r.get(0)).optional()?;
            ids.push(id.ok_or_else(|| super::client_not_found(n))?);
        }
        Ok(Some(ids))
    }

    /// Records how a test or a delivery on a channel went.
    pub(super) fn record_channel_outcome(
        tx: &Transaction<'_>,
        channel_id: i64,
        outcome: std::result::Result<(), &str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        match outcome {
            Ok(()) => tx.execute(
                "UPDATE channels SET last_success_at = ?1, failures = 0 WHERE id = ?2",
                params![ts(now), channel_id],
            )?,
            Err(e) => tx.execute(
                "UPDATE channels SET last_failure_at = ?1, last_error = ?2, failures = failures + 1
                 WHERE id = ?3",
                params![ts(now), e, channel_id],
            )?,
        };
        Ok(())
    }
}

/// The public settings as stored.
#[derive(Serialize, Deserialize, Default)]
struct StoredPublic {
    endpoint: Option<String>,
    #[serde(default)]
    settings: ChannelSettings,
}

/// The public settings stored as `json` (defaults for anything unreadable).
pub(super) fn settings_of(json: &str) -> ChannelSettings {
    serde_json::from_str::<StoredPublic>(json)
        .unwrap_or_default()
        .settings
}

fn public_json(spec: &ChannelSpec, endpoint: Option<String>) -> String {
    let stored = StoredPublic {
        endpoint,
        settings: spec.settings.clone(),
    };
    serde_json::to_string(&stored).unwrap_or_else(|_| "{}".to_owned())
}

fn set_clients(tx: &Transaction<'_>, uid: &str, ids: Option<&[i64]>) -> Result<()> {
    let id: i64 = tx.query_row("SELECT id FROM channels WHERE uid = ?1", [uid], |r| {
        r.get(0)
    })?;
    tx.execute("DELETE FROM channel_clients WHERE channel_id = ?1", [id])?;
    for client in ids.unwrap_or_default() {
        tx.execute(
            "INSERT OR IGNORE INTO channel_clients (channel_id, client_id) VALUES (?1, ?2)",
            params![id, client],
        )?;
    }
    Ok(())
}
