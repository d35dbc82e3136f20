//! Making keys and the files built from them: RSA-2048 key pairs, the customer CSR for an APNs
//! certificate ([`csr`]), the vendor-signed request the Apple Push Certificates Portal accepts
//! ([`push_request`]), the certificate an MDM uploads to its server entry in ABM/ASM ([`abm`]),
//! and PKCS#12 / PEM exports of a certificate with its key ([`pkcs12`]).
//!
//! Pure functions over openssl: nothing here touches the keychain or the database (that is
//! [`crate::vault`]), and time is an argument.

pub mod abm;
pub mod csr;
pub mod pkcs12;
pub mod push_request;

use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::error::{Error, Recipient, Result};
use crate::token::ber::{Tlv, name_to_string};
use crate::token::{PrivateKey, pem, serial_hex, sha256_hex};

/// The only key size Apple accepts in a push CSR, and the size ABM expects.
pub const RSA_BITS: u32 = 2048;

/// A fresh RSA-2048 private key, made by OpenSSL from the system's entropy.
///
/// # Errors
/// [`Error::InvalidKey`] when OpenSSL cannot make a key (no entropy source).
pub fn generate_rsa_key() -> Result<PrivateKey> {
    let rsa = Rsa::generate(RSA_BITS).map_err(|_| Error::InvalidKey {
        detail: "OpenSSL could not generate an RSA key on this system".to_owned(),
    })?;
    let key = PKey::from_rsa(rsa).map_err(|_| Error::InvalidKey {
        detail: "OpenSSL could not wrap the RSA key it generated".to_owned(),
    })?;
    Ok(PrivateKey::from_pkey(key))
}

/// SHA-256 (hex) of a key's public half (its DER SubjectPublicKeyInfo): how a certificate is
/// matched to the key that made its request, without reading the private key.
///
/// # Errors
/// [`Error::InvalidKey`] when the public half cannot be encoded.
pub fn key_fingerprint(key: &PrivateKey) -> Result<String> {
    key.public_key_der()
        .map(|spki| sha256_hex(&spki))
        .ok_or_else(|| Error::InvalidKey {
            detail: "the public half of the key cannot be encoded".to_owned(),
        })
}

/// SHA-256 (hex) of a certificate's SubjectPublicKeyInfo: equal to [`key_fingerprint`] of its key.
///
/// # Errors
/// [`Error::InvalidInput`] when the bytes are not a DER certificate.
pub fn certificate_fingerprint(cert_der: &[u8]) -> Result<String> {
    let cert = parse_certificate(cert_der)?;
    Ok(sha256_hex(cert.tbs_certificate.subject_pki.raw))
}

/// The issuer and serial a server token names when it is encrypted to this certificate, in the
/// same form the token reader gives them.
///
/// # Errors
/// [`Error::InvalidInput`] when the bytes are not a DER certificate.
pub fn recipient_of(cert_der: &[u8]) -> Result<Recipient> {
    let cert = parse_certificate(cert_der)?;
    let issuer = Tlv::read(cert.tbs_certificate.issuer.as_raw())
        .ok()
        .and_then(|(tlv, _)| name_to_string(&tlv).ok())
        .ok_or_else(not_a_certificate)?;
    Ok(Recipient {
        issuer,
        serial: serial_hex(cert.raw_serial()),
    })
}

/// The subject of a certificate, as `C=US, CN=...`.
///
/// # Errors
/// [`Error::InvalidInput`] when the bytes are not a DER certificate.
pub fn subject_of(cert_der: &[u8]) -> Result<String> {
    Ok(parse_certificate(cert_der)?.subject().to_string())
}

/// Whether `key` is the private half of the certificate's public key.
pub fn certificate_matches(cert_der: &[u8], key: &PrivateKey) -> bool {
    match (certificate_fingerprint(cert_der), key_fingerprint(key)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A DER certificate as a PEM block (64 columns).
pub fn certificate_pem(der: &[u8]) -> String {
    pem_block("CERTIFICATE", der)
}

/// A PEM block with 64-column base64.
pub(crate) fn pem_block(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Every certificate in a file: PEM blocks (`CERTIFICATE`), or the file itself when it is DER.
pub fn certificates_in(bytes: &[u8]) -> Vec<Vec<u8>> {
    if bytes.first() == Some(&0x30) {
        return parse_certificate(bytes)
            .map(|_| vec![bytes.to_vec()])
            .unwrap_or_default();
    }
    let text = String::from_utf8_lossy(bytes);
    pem::blocks(&text)
        .into_iter()
        .filter(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE")
        .filter_map(|b| b.der)
        .filter(|der| parse_certificate(der).is_ok())
        .collect()
}

fn parse_certificate(der: &[u8]) -> Result<X509Certificate<'_>> {
    X509Certificate::from_der(der)
        .map(|(_, cert)| cert)
        .map_err(|_| not_a_certificate())
}

fn not_a_certificate() -> Error {
    Error::InvalidInput {
        message: "the certificate cannot be read (expected a PEM or DER X.509 certificate)"
            .to_owned(),
    }
}

#[cfg(all(test, feature = "test-support"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn fingerprints_of_key_and_certificate_agree() {
        let key = crate::testing::KeyPair::shared(0);
        let cert = crate::testing::abm_certificate(key, "fp", 7);
        let der = cert.to_der().unwrap();
        assert_eq!(
            key_fingerprint(&key.private_key()).unwrap(),
            certificate_fingerprint(&der).unwrap()
        );
        assert!(certificate_matches(&der, &key.private_key()));
        assert!(!certificate_matches(
            &der,
            &crate::testing::KeyPair::shared(1).private_key()
        ));
    }

    #[test]
    fn recipient_matches_what_a_token_names() {
        let key = crate::testing::KeyPair::shared(0);
        let cert = crate::testing::abm_certificate(key, "recipient test", 0x80_01);
        let token = crate::testing::ServerTokenSpec::new("CK_x", chrono::Utc::now()).build(&cert);
        let crate::token::Credential::ServerToken(t) = crate::token::read(&token, None).unwrap()
        else {
            panic!("not a token")
        };
        assert_eq!(recipient_of(&cert.to_der().unwrap()).unwrap(), t.recipient);
    }

    #[test]
    fn certificates_are_found_in_pem_and_der() {
        let key = crate::testing::KeyPair::shared(0);
        let a = crate::testing::abm_certificate(key, "a", 1)
            .to_der()
            .unwrap();
        let b = crate::testing::abm_certificate(key, "b", 2)
            .to_der()
            .unwrap();
        let pem = format!("junk\n{}{}", certificate_pem(&a), certificate_pem(&b));
        assert_eq!(certificates_in(pem.as_bytes()), vec![a.clone(), b]);
        assert_eq!(certificates_in(&a), vec![a]);
        assert!(certificates_in(b"not a certificate").is_empty());
    }
}

/// 128 random bits, hex: record ids, keychain accounts, OAuth nonces.
pub(crate) fn random_id() -> String {
    let mut b = [0u8; 16];
    // rand_bytes only fails when the OS has no entropy source; fall back to time and pid.
    if openssl::rand::rand_bytes(&mut b).is_err() {
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        b.copy_from_slice(&openssl::sha::sha256(seed.as_bytes())[..16]);
    }
    crate::token::hex(&b)
}
