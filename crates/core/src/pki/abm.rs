//! The ADE key pair: the certificate an MDM uploads to its server entry in Apple Business (or
//! School) Manager, and reading an existing MDM's key and certificate so its tokens can be
//! decrypted. ABM encrypts every token download to the uploaded certificate; Apple ignores the
//! certificate's dates, so it is made with a long validity.

use chrono::{DateTime, Duration, Utc};
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use openssl::x509::{X509Builder, X509NameBuilder};

use super::pkcs12::{self, KeyBundle};
use crate::error::{Error, Result};
use crate::token::PrivateKey;

/// How long the uploaded certificate is valid: Apple does not check it, and a certificate that
/// never lapses spares the technician a pointless upload.
pub const VALIDITY_DAYS: i64 = 20 * 365;

/// A self-signed certificate for `key`, to upload to the MDM server entry in ABM/ASM
/// ("Upload public key"). The subject is `CN=<common_name>, O=TokenKeeper`; the serial is 127
/// random bits, so two key pairs never share an issuer and serial (how a token names its key).
///
/// # Errors
/// [`Error::InvalidInput`] for an empty or overlong common name; [`Error::InvalidKey`] when
/// OpenSSL cannot sign with the key.
pub fn abm_certificate(key: &PrivateKey, common_name: &str, now: DateTime<Utc>) -> Result<Vec<u8>> {
    let common_name = common_name.trim();
    if common_name.is_empty() || common_name.chars().count() > 64 {
        return Err(Error::InvalidInput {
            message: "the certificate's name must be 1 to 64 characters".to_owned(),
        });
    }
    let failed = |_| Error::InvalidKey {
        detail: "OpenSSL could not make the ADE certificate".to_owned(),
    };
    let mut name = X509NameBuilder::new().map_err(failed)?;
    name.append_entry_by_nid(Nid::COMMONNAME, common_name)
        .map_err(failed)?;
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "TokenKeeper")
        .map_err(failed)?;
    let name = name.build();
    let mut serial = BigNum::new().map_err(failed)?;
    serial
        .rand(127, openssl::bn::MsbOption::MAYBE_ZERO, false)
        .map_err(failed)?;
    let serial: Asn1Integer = serial.to_asn1_integer().map_err(failed)?;
    let time = |t: DateTime<Utc>| Asn1Time::from_unix(t.timestamp()).map_err(failed);
    let mut b = X509Builder::new().map_err(failed)?;
    b.set_version(2).map_err(failed)?;
    b.set_serial_number(&serial).map_err(failed)?;
    b.set_subject_name(&name).map_err(failed)?;
    b.set_issuer_name(&name).map_err(failed)?;
    b.set_pubkey(key.pkey()).map_err(failed)?;
    let not_before = time(now - Duration::minutes(5))?;
    let not_after = time(now + Duration::days(VALIDITY_DAYS))?;
    b.set_not_before(&not_before).map_err(failed)?;
    b.set_not_after(&not_after).map_err(failed)?;
    b.append_extension(BasicConstraints::new().critical().build().map_err(failed)?)
        .map_err(failed)?;
    b.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .key_encipherment()
            .data_encipherment()
            .build()
            .map_err(failed)?,
    )
    .map_err(failed)?;
    let ski = SubjectKeyIdentifier::new()
        .build(&b.x509v3_context(None, None))
        .map_err(failed)?;
    b.append_extension(ski).map_err(failed)?;
    b.sign(key.pkey(), MessageDigest::sha256())
        .map_err(failed)?;
    b.build().to_der().map_err(failed)
}

/// Reads a private key with its certificate from what an MDM exports: a PEM key (PKCS#1 or
/// PKCS#8, possibly password-protected) alone or bundled with certificates, a DER key, or a
/// PKCS#12 file. Certificates are taken from `bytes` and from `extra_certificates` (a separate
/// `.pem`/`.crt`); the one whose public key is the key's becomes [`KeyBundle::certificate`].
///
/// # Errors
/// [`Error::WrongPassword`], [`Error::KeyRequired`] (a protected key without password),
/// [`Error::InvalidKey`]; [`Error::KeyMismatch`] when certificates were given and none is the
/// key's.
pub fn read_key_material(
    bytes: &[u8],
    password: Option<&str>,
    extra_certificates: &[u8],
) -> Result<KeyBundle> {
    let mut bundle = if pkcs12::is_pkcs12(bytes) {
        match password {
            Some(p) => pkcs12::open(bytes, p)?,
            // Many tools export with an empty password.
            None => pkcs12::open(bytes, "").map_err(|e| match e {
                Error::WrongPassword { .. } => Error::KeyRequired {
                    what: "this PKCS#12 file".to_owned(),
                    hint: "give its password".to_owned(),
                },
                other => other,
            })?,
        }
    } else {
        KeyBundle {
            key: PrivateKey::from_bytes_with_password(bytes, password)?,
            certificate: None,
            chain: super::certificates_in(bytes),
        }
    };
    bundle
        .chain
        .extend(super::certificates_in(extra_certificates));
    if bundle.certificate.is_none() {
        if let Some(i) = bundle
            .chain
            .iter()
            .position(|c| super::certificate_matches(c, &bundle.key))
        {
            bundle.certificate = Some(bundle.chain.remove(i));
        } else if !bundle.chain.is_empty() {
            return Err(Error::KeyMismatch {
                message: "none of the certificates given belongs to this private key: give the certificate that was uploaded to ABM with this key".to_owned(),
            });
        }
    }
    Ok(bundle)
}
