//! Reading an import with the right key: a server token with the key made for its recipient
//! (the client's, a pending one, or another client's), a push certificate with its CSR's key.

use crate::db::OptionalRow;

use crate::error::{Error, Result};
use crate::token::{self, Credential, Kind, PrivateKey};
use crate::vault::Vault;
use crate::vault::keys::PendingKey;

impl Vault {
    /// Reads a server token with a key made for its recipient: the client's own key on record,
    /// else one of its pending ADE keys (which the import then gives the credential), else
    /// another client's key on record (an MDM may serve several clients with one certificate).
    pub(super) fn read_server_token(
        &self,
        bytes: &[u8],
        client: &str,
        file_sha256: &str,
    ) -> Result<(Credential, Option<PrivateKey>, Option<PendingKey>)> {
        let Credential::ServerToken(locked) = token::read(bytes, None)? else {
            return Err(Error::Unrecognized { what: None });
        };
        // The client's own tokens, then (below) a key another client holds for the same
        // certificate: one indexed row, not every token an MDM serving all clients holds.
        let records = self.records(
            Kind::ServerToken,
            &super::guard::Focus {
                client: client.to_owned(),
                identity: None,
                file_sha256: file_sha256.to_owned(),
                content_sha256: String::new(),
            },
        )?;
        let on_record = |own: bool| -> Result<Option<String>> {
            if own {
                return Ok(records
                    .iter()
                    .filter(|(r, _)| r.client.eq_ignore_ascii_case(client))
                    .find(|(r, key)| {
                        key.is_some() && r.recipient.as_ref() == Some(&locked.recipient)
                    })
                    .and_then(|(_, key)| key.clone()));
            }
            Ok(self
                .db
                .sql()
                .query_row(
                    "SELECT cr.key_ref FROM credentials cr JOIN clients c ON c.id = cr.client_id
                     WHERE cr.recipient_issuer = ?1 AND cr.recipient_serial = ?2
                       AND (cr.kind || '') = 'server_token' AND cr.key_ref IS NOT NULL
                       AND c.name <> ?3 COLLATE NOCASE
                     ORDER BY cr.id LIMIT 1",
                    crate::args![locked.recipient.issuer, locked.recipient.serial, client],
                    |r| r.get(0),
                )
                .optional()?)
        };
        if let Some(key_ref) = on_record(true)? {
            return self.read_with_key_on_record(bytes, &key_ref);
        }
        let pending_keys = self.pending_ade_keys(&locked.recipient, client)?;
        let (mine, others): (Vec<PendingKey>, Vec<PendingKey>) = pending_keys
            .into_iter()
            .partition(|k| k.client.eq_ignore_ascii_case(client));
        for pending in mine {
            let key = self.pending_private_key(&pending)?;
            match token::read(bytes, Some(&key)) {
                Ok(credential) => return Ok((credential, None, Some(pending))),
                Err(Error::WrongKey { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        if let Some(key_ref) = on_record(false)? {
            return self.read_with_key_on_record(bytes, &key_ref);
        }
        if let Some(other) = others.first() {
            return Err(Error::KeyMismatch {
                message: format!(
                    "this token was encrypted to the ADE certificate TokenKeeper made for {}: import it for {}",
                    other.client, other.client
                ),
            });
        }
        Ok((Credential::ServerToken(locked), None, None))
    }

    pub(super) fn read_with_key_on_record(
        &self,
        bytes: &[u8],
        key_ref: &str,
    ) -> Result<(Credential, Option<PrivateKey>, Option<PendingKey>)> {
        let key_bytes = self.secrets.get(key_ref)?.ok_or_else(|| Error::Tampered {
            message: "the private key on record for this MDM server is missing from the keychain: import the token with --key".to_owned(),
        })?;
        let key = PrivateKey::from_bytes(&key_bytes)?;
        let credential = token::read(bytes, Some(&key))?;
        Ok((credential, None, None))
    }

    /// The pending push key whose public key is this certificate's, if TokenKeeper made its
    /// CSR; marks the certificate as matching its key.
    pub(super) fn pending_key_of(
        &self,
        cert: &mut token::PushCertificate,
        client: &str,
    ) -> Result<Option<PendingKey>> {
        let Some(pending) = self.pending_push_key(&cert.der)? else {
            return Ok(None);
        };
        if !pending.client.eq_ignore_ascii_case(client) {
            return Err(Error::KeyMismatch {
                message: format!(
                    "this certificate was made from the CSR TokenKeeper created for {}: import it for {}",
                    pending.client, pending.client
                ),
            });
        }
        let key = self.pending_private_key(&pending)?;
        cert.key_matches = Some(cert.matches(&key));
        Ok(cert.key_matches.unwrap_or(false).then_some(pending))
    }

    /// A push certificate must match the key the user gave, or the key on record.
    pub(super) fn check_push_key(
        &self,
        cert: &token::PushCertificate,
        key_given: bool,
        key_on_record: Option<&str>,
    ) -> Result<()> {
        if key_given {
            if cert.key_matches == Some(false) {
                return Err(Error::KeyMismatch {
                    message: "the private key given does not match this certificate: it was made from another CSR; give the key that made the CSR uploaded to identity.apple.com".to_owned(),
                });
            }
            return Ok(());
        }
        let Some(account) = key_on_record else {
            return Ok(());
        };
        let Some(key) = self.secrets.get(account)? else {
            return Ok(());
        };
        let key = PrivateKey::from_bytes(&key)?;
        if !cert.matches(&key) {
            return Err(Error::KeyMismatch {
                message: "this certificate was not made from the CSR whose private key is on record: the MDM could not use it; upload TokenKeeper's CSR when you Renew at identity.apple.com, or give the matching key".to_owned(),
            });
        }
        Ok(())
    }
}
