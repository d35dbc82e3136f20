//! The team's channels: e-mail over SMTP, Microsoft Teams, Slack and a generic JSON webhook.
//! What is public (the SMTP server, the sender and recipients, the clients a channel serves,
//! its health) is in the database; what is secret (the SMTP password, the webhook URL, which
//! carries a token, the signing key) is in the keychain only, journaled like every secret.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{EventKind, Vault, events, new_uid, parse_ts, staging, ts};
use crate::alerts::FAILING_AFTER;
use crate::error::{Error, Result};

mod check;
mod model;

use check::check_spec;
pub use check::{check_email, parse_smtp_url, webhook_endpoint};
pub use model::{
    Channel, ChannelHealth, ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, SmtpSecurity,
};

fn channel_not_found(name: &str) -> Error {
    Error::NotFound {
        what: format!("channel \"{name}\""),
        hint: ": `tokenkeeper channel list` shows the channels".to_owned(),
    }
}

impl Vault {
    /// Every channel, by name, with its health.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn channels(&self) -> Result<Vec<Channel>> {
        let conn = self.db.sql();
        let mut stmt = conn.prepare(
            "SELECT ch.id, ch.uid, ch.name, ch.kind, ch.settings, ch.all_clients,
                    ch.last_success_at, ch.last_failure_at, ch.last_error, ch.failures,
                    (SELECT COUNT(*) FROM outbox o WHERE o.channel_id = ch.id
                       AND o.delivered_at IS NULL)
             FROM channels ch ORDER BY ch.name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map(args![], |r| {
            let settings: String = r.get(4)?;
            let stored: StoredPublic = serde_json::from_str(&settings).unwrap_or_default();
            let failures: u32 = r.get(9)?;
            Ok((
                r.get::<i64>(0)?,
                r.get::<bool>(5)?,
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
        let rows = rows.collect::<crate::db::SqlResult<Vec<_>>>()?;
        let mut names = conn.prepare(
            "SELECT c.name FROM channel_clients cc JOIN clients c ON c.id = cc.client_id
             WHERE cc.channel_id = ?1 ORDER BY c.name COLLATE NOCASE",
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, all, mut ch) in rows {
            if !all {
                let clients = names.query_map(args![id], |r| r.get(0))?;
                ch.clients = Some(clients.collect::<crate::db::SqlResult<Vec<String>>>()?);
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
                args![uid, name, spec.kind.id(), public, account, client_ids.is_none(), ts(now)],
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
                    args![new_name, current.uid],
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
                    args![&current.uid],
                    |r| r.get(0),
                )?;
                staging::retire(tx, std::slice::from_ref(&old), now)?;
                tx.execute(
                    "UPDATE channels SET secret_ref = ?1 WHERE uid = ?2",
                    args![account, current.uid],
                )?;
                old_account = Some(old);
            }
            tx.execute(
                "UPDATE channels SET name = ?1, settings = ?2, all_clients = ?3, updated_at = ?4
                 WHERE uid = ?5",
                args![new_name, public, client_ids.is_none(), ts(now), current.uid],
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
        let account: String = self.db.sql().query_row(
            "SELECT secret_ref FROM channels WHERE uid = ?1",
            args![&current.uid],
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
                args![&current.uid],
                |r| r.get(0),
            )?;
            staging::retire(tx, std::slice::from_ref(&account), now)?;
            tx.execute("DELETE FROM channels WHERE uid = ?1", args![&current.uid])?;
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
            .sql()
            .prepare("SELECT id FROM clients WHERE name = ?1 COLLATE NOCASE")?;
        let mut ids = Vec::new();
        for n in names {
            let id: Option<i64> = stmt.query_row(args![n.trim()], |r| r.get(0)).optional()?;
            ids.push(id.ok_or_else(|| super::client_not_found(n))?);
        }
        Ok(Some(ids))
    }

    /// Records how a test or a delivery on a channel went.
    pub(super) fn record_channel_outcome(
        tx: &crate::db::Sql<'_>,
        channel_id: i64,
        outcome: std::result::Result<(), &str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        match outcome {
            Ok(()) => tx.execute(
                "UPDATE channels SET last_success_at = ?1, failures = 0 WHERE id = ?2",
                args![ts(now), channel_id],
            )?,
            Err(e) => tx.execute(
                "UPDATE channels SET last_failure_at = ?1, last_error = ?2, failures = failures + 1
                 WHERE id = ?3",
                args![ts(now), e, channel_id],
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

fn set_clients(tx: &crate::db::Sql<'_>, uid: &str, ids: Option<&[i64]>) -> Result<()> {
    let id: i64 = tx.query_row("SELECT id FROM channels WHERE uid = ?1", args![uid], |r| {
        r.get(0)
    })?;
    tx.execute(
        "DELETE FROM channel_clients WHERE channel_id = ?1",
        args![id],
    )?;
    for client in ids.unwrap_or_default() {
        tx.execute(
            "INSERT INTO channel_clients (channel_id, client_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![id, client],
        )?;
    }
    Ok(())
}
