//! The write side of an import: the secret a credential brings, and the one transaction that
//! records the credential, its new version and the audit events.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use zeroize::Zeroizing;

use super::{ImportRequest, Prepared};
use crate::error::{Error, Result};
use crate::token::Credential;
use crate::vault::{events, ts};

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
    tx: &Transaction<'_>,
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
    let id: i64 = match &p.target {
        None => {
            tx.execute(
                "INSERT INTO credentials (uid, client_id, kind, label, identity, recipient_issuer,
                    recipient_serial, expires_at, apple_account, key_ref, secret_ref, secret_sha256,
                    file_sha256, last_state, revision, created_at, updated_at)
                 SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15
                 FROM clients WHERE name = ?16 COLLATE NOCASE",
                params![
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
                ],
            )?;
            tx.last_insert_rowid()
        }
        Some(t) => {
            let changed = tx.execute(
                "UPDATE credentials SET identity = ?1, recipient_issuer = ?2, recipient_serial = ?3,
                    expires_at = ?4, apple_account = ?5, key_ref = COALESCE(?6, key_ref),
                    secret_ref = COALESCE(?7, secret_ref), secret_sha256 = COALESCE(?8, secret_sha256),
                    file_sha256 = ?9, error = NULL, last_state = ?10, revision = ?11, updated_at = ?12
                 WHERE id = ?13 AND revision = ?14",
                params![
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
                ],
            )?;
            if changed == 0 {
                // Another process renewed it between the check and this write.
                return Err(Error::Database {
                    detail: "the credential changed while this import was checked; import the file again".to_owned(),
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
            apple_account, details, certificate, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
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
        ],
    )?;
    let expiry_text = after.expires_at.map_or("expiry unknown".to_owned(), |e| {
        format!("expires {}", ts(e))
    });
    let (kind, message) = match &plan.before {
        None => (
            "imported",
            format!(
                "{} added ({}, {expiry_text})",
                plan.kind.display_name(),
                after.identity
            ),
        ),
        Some(before) => (
            "renewed",
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
            "warning_accepted",
            &plan.client,
            uid,
            &plan.label,
            &w.message,
        )?;
    }
    Ok(())
}
