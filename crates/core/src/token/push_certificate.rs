//! APNs MDM push certificates: PEM, DER, or a PEM bundle that also holds the private key. The push
//! topic (subject UID, `com.apple.mgmt.` prefix) is the certificate's identity.

use chrono::{DateTime, Utc};
use serde::Serialize;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::fields::{MAX_NAME_CHARS, MAX_SERIAL_CHARS, cap, shown};
use super::{Kind, PrivateKey, pem, serial_hex};
use crate::error::{Error, Result};

const UID_OID: &str = "0.9.2342.19200300.100.1.1";

/// The push topic: the subject UID of an MDM push certificate, always starting with
/// `com.apple.mgmt.`. Devices enrolled with one topic only answer pushes for that topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Topic(String);

impl Topic {
    /// The prefix every MDM push topic carries.
    pub const PREFIX: &'static str = "com.apple.mgmt.";

    /// Parses a topic, enforcing the prefix.
    ///
    /// # Errors
    /// Returns the rejected value's problem in words.
    pub fn parse(value: &str) -> std::result::Result<Self, String> {
        if value.starts_with(Self::PREFIX) && value.len() > Self::PREFIX.len() {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "its UID \"{value}\" does not start with \"{}\"",
                Self::PREFIX
            ))
        }
    }

    /// The topic text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An APNs MDM push certificate read from a file.
#[derive(Debug, Clone, Serialize)]
pub struct PushCertificate {
    /// The push topic (subject UID).
    pub topic: Topic,
    /// Subject common name (`APSP:<uuid>`).
    pub subject_cn: String,
    /// Issuer common name (Apple's intermediate, shown, never enforced).
    pub issuer_cn: String,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity: the expiry.
    #[serde(skip)]
    pub not_after: DateTime<Utc>,
    /// Whether the private key given (or bundled) matches; `None` when there is no key.
    pub key_matches: Option<bool>,
    /// The certificate, DER. Public; kept so the store can export it.
    #[serde(skip)]
    pub der: Vec<u8>,
}

impl PushCertificate {
    /// Reads a push certificate from PEM, DER or a PEM bundle. With `key`, or a private key inside
    /// the bundle, also says whether the key matches the certificate.
    ///
    /// # Errors
    /// [`Error::NotPushCertificate`] for a certificate without a `com.apple.mgmt.` UID;
    /// [`Error::Corrupt`] for damaged encodings; [`Error::InvalidKey`] for a damaged bundled key.
    pub fn parse(bytes: &[u8], key: Option<&PrivateKey>) -> Result<Self> {
        let (certs, bundled_key) = certificates_in(bytes)?;
        let mut first_refusal = None;
        for der in &certs {
            match Self::from_der(der) {
                Ok(mut cert) => {
                    if let Some(key) = key.or(bundled_key.as_ref()) {
                        cert.key_matches = Some(cert.matches(key));
                    }
                    return Ok(cert);
                }
                Err(e) => {
                    first_refusal.get_or_insert(e);
                }
            }
        }
        Err(first_refusal
            .unwrap_or_else(|| Error::corrupt(Kind::PushCertificate, "it holds no certificate")))
    }

    /// Reads one DER certificate.
    fn from_der(der: &[u8]) -> Result<Self> {
        let (_, cert) = X509Certificate::from_der(der).map_err(|_| {
            Error::corrupt(
                Kind::PushCertificate,
                "the certificate's encoding is invalid",
            )
        })?;
        let subject = cert.subject();
        // Shown in refusals only: a hostile subject must not fill the screen.
        let subject_text = shown(&subject.to_string(), MAX_NAME_CHARS);
        let uid = subject
            .iter_attributes()
            .find(|a| a.attr_type().to_id_string() == UID_OID)
            .ok_or_else(|| Error::NotPushCertificate {
                subject: subject_text.clone(),
                reason: "it has no push topic (no UID attribute in its subject)".to_owned(),
            })?;
        let uid = String::from_utf8_lossy(uid.attr_value().data).into_owned();
        cap(
            Kind::PushCertificate,
            "push topic (subject UID)",
            &uid,
            MAX_NAME_CHARS,
        )?;
        let topic = Topic::parse(&uid).map_err(|reason| Error::NotPushCertificate {
            subject: subject_text.clone(),
            reason,
        })?;
        let cn = |name: &x509_parser::x509::X509Name<'_>| {
            name.iter_common_name()
                .next()
                .map(|a| String::from_utf8_lossy(a.attr_value().data).into_owned())
                .unwrap_or_default()
        };
        let subject_cn = cn(subject);
        let issuer_cn = cn(cert.issuer());
        let serial = serial_hex(cert.raw_serial());
        cap(
            Kind::PushCertificate,
            "subject common name",
            &subject_cn,
            MAX_NAME_CHARS,
        )?;
        cap(
            Kind::PushCertificate,
            "issuer common name",
            &issuer_cn,
            MAX_NAME_CHARS,
        )?;
        cap(
            Kind::PushCertificate,
            "serial number",
            &serial,
            MAX_SERIAL_CHARS,
        )?;
        let validity = cert.validity();
        let time = |t: x509_parser::time::ASN1Time| {
            DateTime::from_timestamp(t.timestamp(), 0).ok_or_else(|| {
                Error::corrupt(Kind::PushCertificate, "its validity dates are out of range")
            })
        };
        Ok(Self {
            topic,
            subject_cn,
            issuer_cn,
            serial,
            not_before: time(validity.not_before)?,
            not_after: time(validity.not_after)?,
            key_matches: None,
            der: der.to_vec(),
        })
    }

    /// Whether `key` is the private half of this certificate's public key.
    pub fn matches(&self, key: &PrivateKey) -> bool {
        let Ok((_, cert)) = X509Certificate::from_der(&self.der) else {
            return false;
        };
        key.public_key_der()
            .is_some_and(|spki| spki == cert.tbs_certificate.subject_pki.raw)
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }
}

/// The DER certificates in a file (PEM blocks, or the file itself as DER) and a bundled key.
fn certificates_in(bytes: &[u8]) -> Result<(Vec<Vec<u8>>, Option<PrivateKey>)> {
    if bytes.first() == Some(&0x30) {
        return Ok((vec![bytes.to_vec()], None));
    }
    let text = String::from_utf8_lossy(bytes);
    let mut certs = Vec::new();
    for block in pem::blocks(&text) {
        if block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" {
            certs.push(block.der.ok_or_else(|| {
                Error::corrupt(
                    Kind::PushCertificate,
                    "the certificate block is truncated or its base64 is damaged",
                )
            })?);
        }
    }
    // A bundled key that cannot be used (password-protected, damaged) does not stop the
    // certificate from being read: the key match is then simply unknown.
    let key = PrivateKey::from_pem_blocks(bytes).unwrap_or(None);
    Ok((certs, key))
}
