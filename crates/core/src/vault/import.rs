//! Import = new credential or renewal. The file is read and every rule checked before anything
//! is written ([`Vault::plan_import`]); then secrets go to new keychain entries, the database
//! changes in one transaction, and a failure on either side undoes the other
//! ([`Vault::import`]).

use crate::args;
use chrono::{DateTime, Utc};

mod guard;
mod keys;
mod outcome;
mod plan;
mod write;

pub use plan::{Confirmation, Facts, ImportOutcome, ImportPlan, ImportRequest};

use super::keys::PendingKey;
use super::limits::{self, Field};
use super::{Vault, parse_ts};
use crate::error::{Error, Recipient, Result};
use crate::renewal::{self, Decision, Incoming, OnRecord, WarningKind, recipient_identity};
use crate::status::{State, status};
use crate::token::{self, Credential, Kind, PrivateKey, sha256_hex};
use crate::vault::EventKind;

/// A file read and checked, ready to be written.
struct Prepared {
    plan: ImportPlan,
    credential: Credential,
    file_sha256: String,
    key_to_store: Option<PrivateKey>,
    /// A pending key that becomes the credential's key (already in the keychain).
    pending_key: Option<PendingKey>,
    target: Option<Target>,
    /// The state right after the import, so the first listing records no false change.
    state: State,
    /// The credentials of its kind the decision was made on: the write checks none changed.
    seen: guard::Seen,
}

/// The stored credential a renewal replaces.
struct Target {
    id: i64,
    revision: u32,
    key_ref: Option<String>,
    secret_ref: Option<String>,
    apple_account: Option<String>,
}

impl Vault {
    /// Reads the file and applies the renewal rules, without writing anything: what the
    /// confirmation screen shows.
    ///
    /// # Errors
    /// Every reading error of [`crate::token`], every refusal of [`crate::renewal`],
    /// [`Error::KeyMismatch`], [`Error::NotFound`] for an unknown client.
    pub fn plan_import(&self, req: &ImportRequest, now: DateTime<Utc>) -> Result<ImportPlan> {
        self.prepare(req, now).map(|p| p.plan)
    }

    /// Imports a file for a client: a new credential or a renewal, all or nothing. Refusals
    /// are recorded in the audit log.
    ///
    /// # Errors
    /// As [`Vault::plan_import`], plus [`Error::NeedsConfirmation`] when a warning was not
    /// confirmed, [`Error::KeychainUnavailable`] and [`Error::Database`] (nothing written).
    pub fn import(
        &mut self,
        req: &ImportRequest,
        confirmation: Confirmation,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome> {
        let result = self
            .prepare(req, now)
            .and_then(|p| check_confirmed(p, confirmation))
            .and_then(|p| self.commit(p, req, now));
        if let Err(e) = &result {
            let refused = !matches!(
                e,
                Error::NotFound { .. } | Error::Database { .. } | Error::KeychainUnavailable { .. }
            );
            if refused {
                let name = req.file_name.as_deref().unwrap_or("a file");
                let _ = self.log(
                    now,
                    EventKind::Refused,
                    Some(req.client.trim()),
                    &format!("{name} refused: {e}"),
                );
            }
        }
        result
    }

    fn prepare(&self, req: &ImportRequest, now: DateTime<Utc>) -> Result<Prepared> {
        limits::check_opt(Field::CredentialLabel, req.label.as_deref().map(str::trim))?;
        limits::check_opt(
            Field::AppleAccount,
            req.apple_account.as_deref().map(str::trim),
        )?;
        // One read transaction: every query of the decision sees the same committed state, which
        // the write then checks is still the state (`guard`).
        self.db.snapshot(|| self.decide_on_snapshot(req, now))
    }

    fn decide_on_snapshot(&self, req: &ImportRequest, now: DateTime<Utc>) -> Result<Prepared> {
        let client = self.client(&req.client)?;
        let given_key = req
            .key
            .as_ref()
            .map(|k| PrivateKey::from_bytes(k))
            .transpose()?;
        let kind = token::sniff::sniff(&req.bytes)?;
        let file_sha256 = sha256_hex(&req.bytes);
        let (credential, key_used, pending_key) = match (kind, given_key) {
            (Kind::ServerToken, None) => {
                self.read_server_token(&req.bytes, &client.name, &file_sha256)?
            }
            (Kind::PushCertificate, None) => {
                let mut credential = token::read(&req.bytes, None)?;
                let pending = match &mut credential {
                    Credential::PushCertificate(cert) => self.pending_key_of(cert, &client.name)?,
                    _ => None,
                };
                (credential, None, pending)
            }
            (_, key) => {
                let credential = token::read(&req.bytes, key.as_ref())?;
                (credential, key, None)
            }
        };
        let incoming = incoming(&credential, &file_sha256, req)?;
        let focus = guard::Focus {
            client: client.name.clone(),
            identity: (incoming.decrypted || kind != Kind::ServerToken)
                .then(|| incoming.identity.clone()),
            file_sha256: file_sha256.clone(),
            content_sha256: incoming.content_sha256.clone(),
        };
        let records = self.records(kind, &focus)?;
        let seen = guard::Seen::read(&self.db.sql(), kind, focus)?;
        let verdict = renewal::decide(
            &client.name,
            &incoming,
            &records.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        )?;
        let target_record = match &verdict.decision {
            Decision::Renew { uid } | Decision::AlreadyOnRecord { uid } => {
                records.iter().find(|r| &r.0.uid == uid)
            }
            Decision::New { .. } => None,
        };
        if let Credential::PushCertificate(cert) = &credential {
            self.check_push_key(
                cert,
                req.key.is_some() || pending_key.is_some(),
                target_record.and_then(|r| r.1.as_deref()),
            )?;
        }
        let target = match target_record {
            Some(r) => Some(self.target(&r.0.uid)?),
            None => None,
        };
        let label = match (&verdict.decision, target_record) {
            (Decision::New { label }, _) => label.clone(),
            (_, Some(r)) => r.0.label.clone(),
            (_, None) => String::new(),
        };
        let apple_account = req
            .apple_account
            .clone()
            .filter(|a| !a.trim().is_empty())
            .or_else(|| target.as_ref().and_then(|t| t.apple_account.clone()));
        let before = target_record.map(|r| Facts {
            identity: r.0.identity.clone(),
            expires_at: r.0.expires_at,
            organisation: (kind == Kind::ContentToken).then(|| r.0.identity.clone()),
            recipient: r.0.recipient.clone(),
            apple_account: r.0.apple_account.clone(),
        });
        let after = Facts {
            identity: incoming.identity.clone(),
            expires_at: incoming.expires_at,
            organisation: match &credential {
                Credential::ContentToken(t) => Some(t.org_name.clone()),
                _ => None,
            },
            recipient: incoming.recipient.clone(),
            apple_account,
        };
        let state = status(after.expires_at, None, now, self.thresholds()?).state;
        // Only a key the user gave is stored; a key already on record stays where it is.
        let key_to_store = if req.key.is_some() { key_used } else { None };
        let tracked_only = kind == Kind::PushCertificate
            && key_to_store.is_none()
            && pending_key.is_none()
            && target.as_ref().is_none_or(|t| t.key_ref.is_none());
        Ok(Prepared {
            plan: ImportPlan {
                client: client.name,
                kind,
                decision: verdict.decision,
                label,
                before,
                after,
                warnings: verdict.warnings,
                decrypted: incoming.decrypted || kind != Kind::ServerToken,
                attaches_key: pending_key.as_ref().map(|p| p.uid.clone()),
                tracked_only,
            },
            credential,
            file_sha256,
            key_to_store,
            pending_key,
            target,
            state,
            seen,
        })
    }

    /// The credentials of `kind` that concern a file (`focus`: the client's own, and those
    /// with the same identity, file, content or recipient), with their key accounts: what the
    /// rules decide on, read from the indexes instead of listing the whole vault.
    pub(super) fn records(
        &self,
        kind: Kind,
        focus: &guard::Focus,
    ) -> Result<Vec<(OnRecord, Option<String>)>> {
        let mut stmt = self.db.sql().prepare(&format!(
            "SELECT cr.uid, c.name, cr.label, cr.identity, cr.recipient_issuer, cr.recipient_serial,
                    cr.expires_at, cr.file_sha256, cr.apple_account, cr.key_ref, cr.content_sha256
             FROM credentials cr JOIN clients c ON c.id = cr.client_id WHERE {}",
            guard::CONCERNS
        ))?;
        let rows = stmt.query_map(&crate::db::args_from(&focus.params(kind)), |r| {
            let issuer: Option<String> = r.get(4)?;
            let serial: Option<String> = r.get(5)?;
            Ok((
                OnRecord {
                    uid: r.get(0)?,
                    client: r.get(1)?,
                    label: r.get(2)?,
                    identity: r.get(3)?,
                    recipient: issuer
                        .zip(serial)
                        .map(|(issuer, serial)| Recipient { issuer, serial }),
                    expires_at: r.get::<Option<String>>(6)?.as_deref().and_then(parse_ts),
                    file_sha256: r.get(7)?,
                    content_sha256: r.get(10)?,
                    apple_account: r.get(8)?,
                },
                r.get(9)?,
            ))
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    fn target(&self, uid: &str) -> Result<Target> {
        Ok(self.db.sql().query_row(
            "SELECT id, revision, key_ref, secret_ref, apple_account FROM credentials WHERE uid = ?1",
            args![uid],
            |r| {
                Ok(Target {
                    id: r.get(0)?,
                    revision: r.get(1)?,
                    key_ref: r.get(2)?,
                    secret_ref: r.get(3)?,
                    apple_account: r.get(4)?,
                })
            },
        )?)
    }
}

fn check_confirmed(p: Prepared, c: Confirmation) -> Result<Prepared> {
    for w in &p.plan.warnings {
        let ok = match w.kind {
            WarningKind::NewTopic => c.accept_new_identity,
            _ => c.confirmed || c.accept_new_identity,
        };
        if !ok {
            return Err(Error::NeedsConfirmation {
                warning: w.kind,
                message: w.message.clone(),
            });
        }
    }
    Ok(p)
}

/// The renewal rules' view of the file.
fn incoming(credential: &Credential, file_sha256: &str, req: &ImportRequest) -> Result<Incoming> {
    let label = req
        .label
        .as_ref()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty());
    let content_sha256 = credential.content_sha256(&req.bytes);
    Ok(match credential {
        Credential::PushCertificate(c) => Incoming {
            kind: Kind::PushCertificate,
            identity: c.topic.to_string(),
            decrypted: true,
            recipient: None,
            expires_at: Some(c.not_after),
            file_sha256: file_sha256.to_owned(),
            content_sha256,
            label,
        },
        Credential::ServerToken(t) => {
            let expires_at = match (&t.contents, req.expires_at) {
                (Some(c), _) => Some(c.expires_at),
                (None, typed) => typed,
            };
            Incoming {
                kind: Kind::ServerToken,
                identity: t
                    .consumer_key
                    .clone()
                    .unwrap_or_else(|| recipient_identity(&t.recipient)),
                decrypted: t.decrypted,
                recipient: Some(t.recipient.clone()),
                expires_at,
                file_sha256: file_sha256.to_owned(),
                content_sha256,
                label,
            }
        }
        Credential::ContentToken(t) => Incoming {
            kind: Kind::ContentToken,
            identity: t.org_name.clone(),
            decrypted: true,
            recipient: None,
            expires_at: Some(t.expires_at),
            file_sha256: file_sha256.to_owned(),
            content_sha256,
            label,
        },
    })
}
