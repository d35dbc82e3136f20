//! The write side of an import: the secret a credential brings, staged in the keychain, and the
//! one transaction that records the credential, its new version, its key and the audit events.

use crate::args;
use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::{ImportOutcome, ImportRequest, Prepared};
use crate::error::{Error, Result};
use crate::renewal::Decision;
use crate::token::{Credential, sha256_hex};
use crate::vault::EventKind;
use crate::vault::keys::PendingKey;
use crate::vault::{Vault, events, new_uid, staging, ts};

/// The secret a credential brings: the OAuth values of a decrypted server token, the content
/// token file. Push certificates carry none.
pub(super) fn secret_bytes(credential: &Credential) -> Result<Option<Zeroizing<Vec<u8>>>> {
    use secrecy::ExposeSecret;
    Ok(match credential {
        Credential::PushCertificate(_) => None,
        Credential::ServerToken(t) => t.contents.as_ref().map(|c| {
            let json = serde_json::json!({
                "consumer_key": c.consumer_key,
                "consumer_secret": c.secrets.consumer_secret.expose_secret(),
                "access_token": c.secrets.access_token.expose_secret(),
                "access_secret": c.secrets.access_secret.expose_secret(),
                "access_token_expiry": ts(c.expires_at),
            });
            Zeroizing::new(json.to_string().into_bytes())
        }),
        Credential::ContentToken(t) => {
            Some(Zeroizing::new(t.secret.expose_secret().as_bytes().to_vec()))
        }
    })
}

pub(super) fn write_credential(
    tx: &crate::db::Sql<'_>,
    p: &Prepared,
    req: &ImportRequest,
    uid: &str,
    revision: u32,
    (secret_ref, secret_sha, key_ref): (Option<&str>, Option<&str>, Option<&str>),
    now: DateTime<Utc>,
) -> Result<()> {
    let plan = &p.plan;
    let after = &plan.after;
    let expires = after.expires_at.map(ts);
    let state = p.state;
    let issuer = after.recipient.as_ref().map(|r| r.issuer.clone());
    let serial = after.recipient.as_ref().map(|r| r.serial.clone());
    let content_sha256 = p.credential.content_sha256(&req.bytes);
    let id: i64 = match &p.target {
        None => {
            let inserted: Option<i64> = tx.query_opt(
                "INSERT INTO credentials (uid, client_id, kind, label, identity, recipient_issuer,
                    recipient_serial, expires_at, apple_account, key_ref, secret_ref, secret_sha256,
                    file_sha256, last_state, revision, created_at, updated_at, content_sha256)
                 SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?17
                 FROM clients WHERE name = ?16 COLLATE NOCASE
                 RETURNING id",
                args![
                    uid,
                    plan.kind.id(),
                    plan.label,
                    after.identity,
                    issuer,
                    serial,
                    expires,
                    after.apple_account,
                    key_ref,
                    secret_ref,
                    secret_sha,
                    p.file_sha256,
                    state.id(),
                    revision,
                    ts(now),
                    plan.client,
                    content_sha256,
                ],
                |r| r.get(0),
            )?;
            inserted.ok_or_else(|| Error::Conflict {
                message: format!(
                    "the client {} was removed elsewhere while this file was being checked: nothing was saved",
                    plan.client
                ),
            })?
        }
        Some(t) => {
            let changed = tx.execute(
                "UPDATE credentials SET identity = ?1, recipient_issuer = ?2, recipient_serial = ?3,
                    expires_at = ?4, apple_account = ?5, key_ref = COALESCE(?6, key_ref),
                    secret_ref = COALESCE(?7, secret_ref), secret_sha256 = COALESCE(?8, secret_sha256),
                    file_sha256 = ?9, error = NULL, last_state = ?10, revision = ?11, updated_at = ?12,
                    content_sha256 = ?15
                 WHERE id = ?13 AND revision = ?14",
                args![
                    after.identity,
                    issuer,
                    serial,
                    expires,
                    after.apple_account,
                    key_ref,
                    secret_ref,
                    secret_sha,
                    p.file_sha256,
                    state.id(),
                    revision,
                    ts(now),
                    t.id,
                    t.revision,
                    content_sha256,
                ],
            )?;
            if changed == 0 {
                // The guard ran in this transaction: only a bug elsewhere gets here.
                return Err(Error::Conflict {
                    message: "the credential changed while this import was checked: nothing was saved; look at it again, then import the file again".to_owned(),
                });
            }
            t.id
        }
    };
    let details = serde_json::to_string(&p.credential).map_err(|e| Error::Database {
        detail: e.to_string(),
    })?;
    let certificate = match &p.credential {
        Credential::PushCertificate(c) => Some(c.der.clone()),
        _ => None,
    };
    tx.execute(
        "INSERT INTO versions (credential_id, revision, file_name, file_sha256, identity, expires_at,
            apple_account, details, certificate, imported_at, content_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        args![
            id,
            revision,
            req.file_name,
            p.file_sha256,
            after.identity,
            expires,
            after.apple_account,
            details,
            certificate,
            ts(now),
            content_sha256,
        ],
    )?;
    let expiry_text = after.expires_at.map_or("expiry unknown".to_owned(), |e| {
        format!("expires {}", ts(e))
    });
    let (kind, message) = match &plan.before {
        None => (
            EventKind::Imported,
            format!(
                "{} added ({}, {expiry_text})",
                plan.kind.display_name(),
                after.identity
            ),
        ),
        Some(before) => (
            EventKind::Renewed,
            format!(
                "{} renewed to revision {revision} ({expiry_text}; was {})",
                plan.kind.display_name(),
                before.expires_at.map_or("unknown".to_owned(), ts)
            ),
        ),
    };
    events::append_for(tx, now, kind, &plan.client, uid, &plan.label, &message)?;
    for w in &plan.warnings {
        events::append_for(
            tx,
            now,
            EventKind::WarningAccepted,
            &plan.client,
            uid,
            &plan.label,
            &w.message,
        )?;
    }
    Ok(())
}

impl Vault {
    /// Writes a prepared import: keychain first (new entries only), then one transaction;
    /// each side undone if the other fails.
    pub(super) fn commit(
        &mut self,
        p: Prepared,
        req: &ImportRequest,
        now: DateTime<Utc>,
    ) -> Result<ImportOutcome> {
        let uid = match &p.plan.decision {
            Decision::AlreadyOnRecord { uid } => {
                let revision = p.target.as_ref().map_or(1, |t| t.revision);
                return Ok(ImportOutcome {
                    uid: uid.clone(),
                    revision,
                    plan: p.plan,
                });
            }
            Decision::Renew { uid } => uid.clone(),
            Decision::New { .. } => new_uid(),
        };
        let revision = p.target.as_ref().map_or(1, |t| t.revision + 1);
        // Stage the secrets under accounts unique to this attempt; the previous ones stay until
        // commit. A parallel attempt on the same credential stages and cleans up its own.
        let mut staged: Vec<String> = Vec::new();
        let mut stage = |what: &str, secret: &[u8]| -> Result<String> {
            let account = staging::attempt_account(&uid, what, revision);
            self.stage_secret(&account, secret, now)?;
            staged.push(account.clone());
            Ok(account)
        };
        let staged_result = (|| -> Result<(Option<String>, Option<String>, Option<String>)> {
            let secret = secret_bytes(&p.credential)?;
            let secret_ref = secret.as_ref().map(|s| stage("secret", s)).transpose()?;
            let secret_sha = secret.as_ref().map(|s| sha256_hex(s));
            let key_ref = match (&p.key_to_store, &p.pending_key) {
                (Some(key), _) => Some(stage("key", &key.to_pkcs8_pem()?)?),
                (None, Some(pending)) => Some(pending.account.clone()),
                (None, None) => None,
            };
            Ok((secret_ref, secret_sha, key_ref))
        })();
        let (secret_ref, secret_sha, key_ref) = match staged_result {
            Ok(v) => v,
            Err(e) => {
                self.forget_secrets(&staged);
                return Err(e);
            }
        };
        // The superseded secrets, retired in the same transaction that stops referencing them.
        let mut old = Vec::new();
        if let Some(t) = &p.target {
            if secret_ref.is_some() {
                old.extend(t.secret_ref.clone());
            }
            if key_ref.is_some() {
                old.extend(t.key_ref.clone());
            }
        }
        let written = self.db.write(|tx| {
            p.seen.ensure_unchanged(tx)?;
            write_credential(
                tx,
                &p,
                req,
                &uid,
                revision,
                (
                    secret_ref.as_deref(),
                    secret_sha.as_deref(),
                    key_ref.as_deref(),
                ),
                now,
            )?;
            staging::claim(tx, &staged.iter().map(String::as_str).collect::<Vec<_>>())?;
            staging::retire(tx, &old, now)?;
            match &p.pending_key {
                Some(pending) => attach_pending_key(tx, &p, pending, &uid, now),
                None => Ok(()),
            }
        });
        if let Err(e) = written {
            self.forget_secrets(&staged);
            return Err(e);
        }
        // Committed: the superseded secrets are no longer referenced.
        self.forget_secrets(&old);
        Ok(ImportOutcome {
            uid,
            revision,
            plan: p.plan,
        })
    }
}

/// The pending key becomes the credential's: its row goes (the keychain entry stays, now
/// referenced by the credential), and the audit log says so.
fn attach_pending_key(
    tx: &crate::db::Sql<'_>,
    p: &Prepared,
    pending: &PendingKey,
    uid: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let removed = tx.execute("DELETE FROM keys WHERE uid = ?1", args![&pending.uid])?;
    if removed == 0 {
        return Err(Error::Database {
            detail:
                "the pending key was removed while this import was checked; import the file again"
                    .to_owned(),
        });
    }
    let retired = if p.target.as_ref().is_some_and(|t| t.key_ref.is_some()) {
        "; the previous key was retired"
    } else {
        ""
    };
    events::append_for(
        tx,
        now,
        EventKind::KeyAttached,
        &p.plan.client,
        uid,
        &p.plan.label,
        &format!(
            "the private key TokenKeeper kept for this {} is now its key{retired}",
            p.plan.kind.display_name()
        ),
    )
}
