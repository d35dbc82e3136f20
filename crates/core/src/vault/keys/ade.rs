//! ADE keys: a new key pair whose certificate is uploaded to the MDM server entry in ABM/ASM,
//! and an existing MDM's key imported so its tokens can be decrypted.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};

use super::{KeyPurpose, KeyRecord, NewKey, key_not_found};
use crate::error::Result;
use crate::pki::{self, abm};
use crate::vault::Vault;

impl Vault {
    /// Makes a new ADE key pair for `client`: an RSA-2048 key in the keychain and the
    /// certificate to upload to the MDM server entry in ABM/ASM. The client's current key stays
    /// in use until a token encrypted to the new certificate is imported.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::KeychainUnavailable`], [`Error::Database`].
    pub fn create_ade_key(
        &mut self,
        client: &str,
        common_name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(KeyRecord, Vec<u8>)> {
        let client = self.client(client)?;
        let key = pki::generate_rsa_key()?;
        let name = common_name
            .map(str::to_owned)
            .unwrap_or_else(|| format!("TokenKeeper ADE {}", client.name));
        let name: String = name.chars().take(64).collect();
        let certificate = abm::abm_certificate(&key, &name, now)?;
        let record = self.insert_key(
            NewKey {
                client: Some(&client.name),
                purpose: KeyPurpose::Ade,
                label: format!("ADE key pair {}", now.format("%Y-%m-%d %H:%M")),
                secret: key.to_pkcs8_pem()?,
                public_key_sha256: pki::key_fingerprint(&key)?,
                request: None,
                certificate: Some(certificate.clone()),
                subject: pki::subject_of(&certificate)?,
            },
            now,
        )?;
        Ok((record, certificate))
    }

    /// Keeps an existing MDM's ADE key (PKCS#1 or PKCS#8 PEM, encrypted PEM, DER, PKCS#12) with
    /// its certificate, so the tokens encrypted to it can be read. Without the certificate the
    /// key is still tried on the client's tokens.
    ///
    /// # Errors
    /// As [`abm::read_key_material`]; [`Error::NotFound`]; [`Error::KeychainUnavailable`].
    pub fn import_ade_key(
        &mut self,
        client: &str,
        key_file: &[u8],
        password: Option<&str>,
        certificate_file: &[u8],
        now: DateTime<Utc>,
    ) -> Result<KeyRecord> {
        let client = self.client(client)?;
        let bundle = abm::read_key_material(key_file, password, certificate_file)?;
        let subject = match &bundle.certificate {
            Some(c) => pki::subject_of(c)?,
            None => "no certificate given".to_owned(),
        };
        self.insert_key(
            NewKey {
                client: Some(&client.name),
                purpose: KeyPurpose::Ade,
                label: format!("imported ADE key {}", now.format("%Y-%m-%d %H:%M")),
                secret: bundle.key.to_pkcs8_pem()?,
                public_key_sha256: pki::key_fingerprint(&bundle.key)?,
                request: None,
                certificate: bundle.certificate,
                subject,
            },
            now,
        )
    }

    /// The certificate of a pending ADE key (to upload again).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn ade_certificate(&self, key_uid: &str) -> Result<Vec<u8>> {
        let der: Option<Vec<u8>> = self
            .db
            .sql()
            .query_row(
                "SELECT certificate FROM keys WHERE uid = ?1 AND purpose = 'ade'",
                args![key_uid],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        der.ok_or_else(|| key_not_found(key_uid))
    }
}
