//! The customer CSR for an APNs MDM push certificate: RSA-2048, SHA-256, and the subject Apple
//! expects (common name, country, e-mail address). The MDM vendor signs it afterwards
//! ([`super::push_request`]); Apple issues the certificate for its public key.

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::x509::{X509NameBuilder, X509ReqBuilder};
use serde::Serialize;

use super::RSA_BITS;
use crate::error::{Error, Result};
use crate::token::PrivateKey;

/// The subject of a push CSR: who asks for the certificate. Checked when made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CsrSubject {
    /// Common name: the organisation or MDM the certificate is for.
    pub common_name: String,
    /// Two-letter ISO country code, upper case.
    pub country: String,
    /// E-mail address of the requester.
    pub email: String,
}

impl CsrSubject {
    /// Checks and normalises the subject: a printable common name of at most 64 characters, a
    /// two-letter country code, an e-mail address with one `@`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the field and what is expected.
    pub fn new(common_name: &str, country: &str, email: &str) -> Result<Self> {
        let common_name = common_name.trim();
        if common_name.is_empty()
            || common_name.chars().count() > 64
            || common_name.chars().any(char::is_control)
        {
            return Err(invalid(
                "the common name must be 1 to 64 printable characters (for example the organisation's name)",
            ));
        }
        let country = country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid(
                "the country must be a two-letter ISO code, such as US, DE or GB",
            ));
        }
        let email = email.trim();
        let valid_email = email.len() <= 128
            && email.split('@').count() == 2
            && email
                .split_once('@')
                .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
            && email.is_ascii()
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if !valid_email {
            return Err(invalid(
                "the e-mail address must look like it@example.com (the requester's address)",
            ));
        }
        Ok(Self {
            common_name: common_name.to_owned(),
            country,
            email: email.to_owned(),
        })
    }
}

fn invalid(message: &str) -> Error {
    Error::InvalidInput {
        message: message.to_owned(),
    }
}

/// A certificate signing request (public: it carries only the public key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    /// The DER encoding, the bytes the vendor signs.
    pub der: Vec<u8>,
}

impl CertificateRequest {
    /// The `-----BEGIN CERTIFICATE REQUEST-----` form users upload or send to a vendor.
    pub fn to_pem(&self) -> String {
        super::pem_block("CERTIFICATE REQUEST", &self.der)
    }
}

/// Makes the push CSR for `key`, signed with it (SHA-256).
///
/// # Errors
/// [`Error::InvalidKey`] when the key is not RSA-2048 (Apple refuses other sizes) or OpenSSL
/// cannot sign with it.
pub fn push_csr(key: &PrivateKey, subject: &CsrSubject) -> Result<CertificateRequest> {
    if key.bits() != RSA_BITS || key.pkey().rsa().is_err() {
        return Err(Error::InvalidKey {
            detail: format!(
                "Apple accepts only RSA-2048 keys in a push CSR (this key is {} bits)",
                key.bits()
            ),
        });
    }
    let failed = |_| Error::InvalidKey {
        detail: "OpenSSL could not build the certificate signing request".to_owned(),
    };
    let mut name = X509NameBuilder::new().map_err(failed)?;
    name.append_entry_by_nid(Nid::COMMONNAME, &subject.common_name)
        .map_err(failed)?;
    name.append_entry_by_nid(Nid::COUNTRYNAME, &subject.country)
        .map_err(failed)?;
    name.append_entry_by_nid(Nid::PKCS9_EMAILADDRESS, &subject.email)
        .map_err(failed)?;
    let name = name.build();
    let mut req = X509ReqBuilder::new().map_err(failed)?;
    req.set_version(0).map_err(failed)?;
    req.set_subject_name(&name).map_err(failed)?;
    req.set_pubkey(key.pkey()).map_err(failed)?;
    req.sign(key.pkey(), MessageDigest::sha256())
        .map_err(failed)?;
    let der = req.build().to_der().map_err(failed)?;
    Ok(CertificateRequest { der })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn subject_is_checked_and_normalised() {
        let s = CsrSubject::new(" Acme MDM ", "us", "it@acme.example").unwrap();
        assert_eq!(s.common_name, "Acme MDM");
        assert_eq!(s.country, "US");
        for (cn, c, e) in [
            ("", "US", "it@acme.example"),
            ("Acme", "USA", "it@acme.example"),
            ("Acme", "1A", "it@acme.example"),
            ("Acme", "US", "not-an-address"),
            ("Acme", "US", "a@b@c.example"),
            ("Acme", "US", "it@localhost"),
            ("Acme\n", "US", "it @acme.example"),
        ] {
            let e = CsrSubject::new(cn, c, e).unwrap_err();
            assert_eq!(e.kind(), "invalid_input");
        }
    }

    #[test]
    fn refuses_keys_apple_would_refuse() {
        let small = PrivateKey::from_pkey(
            openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(1024).unwrap()).unwrap(),
        );
        let subject = CsrSubject::new("Acme", "US", "it@acme.example").unwrap();
        let e = push_csr(&small, &subject).unwrap_err();
        assert_eq!(e.kind(), "invalid_key");
        assert!(e.to_string().contains("RSA-2048"), "{e}");
    }
}
