//! PKCS#12 (`.p12`, `.pfx`) in both directions, and the PEM bundle: reading a key with its
//! certificates (an MDM vendor identity, an existing MDM's ABM key), and exporting a push
//! certificate with its key for the MDM that imports them. Exports are password-protected
//! (PKCS#12) or written only where the user asked (PEM).

use std::sync::OnceLock;

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::provider::Provider;
use openssl::stack::Stack;
use openssl::x509::X509;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::token::{PrivateKey, ber};

/// A private key with its certificate and the certificates that came with it (issuers).
pub struct KeyBundle {
    /// The private key.
    pub key: PrivateKey,
    /// The certificate of the key (DER), when the file holds it.
    pub certificate: Option<Vec<u8>>,
    /// The other certificates (DER), in file order: usually the issuing chain.
    pub chain: Vec<Vec<u8>>,
}

impl std::fmt::Debug for KeyBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyBundle")
            .field("key", &self.key)
            .field("certificate", &self.certificate.as_ref().map(Vec::len))
            .field("chain", &self.chain.len())
            .finish()
    }
}

/// Whether the bytes look like a PKCS#12 file (DER, a SEQUENCE starting with version 3).
pub fn is_pkcs12(bytes: &[u8]) -> bool {
    // OpenSSL only sees what the core's linear, depth-capped BER reader reads as one value.
    ber::is_one_sequence(bytes) && Pkcs12::from_der(bytes).is_ok()
}

/// Opens a PKCS#12 file with its password.
///
/// Files exported by older tools (macOS Keychain Access, Windows) protect certificates with
/// RC2-40, which OpenSSL 3 keeps in its "legacy" provider: it is loaded on demand.
///
/// # Errors
/// [`Error::InvalidKey`] when the bytes are not PKCS#12 or hold no private key;
/// [`Error::WrongPassword`] when the password does not open it.
pub fn open(bytes: &[u8], password: &str) -> Result<KeyBundle> {
    let not_pkcs12 = || Error::InvalidKey {
        detail: "the file is not a PKCS#12 (.p12) file".to_owned(),
    };
    if !ber::is_one_sequence(bytes) {
        return Err(not_pkcs12());
    }
    let p12 = Pkcs12::from_der(bytes).map_err(|_| not_pkcs12())?;
    let parsed = match p12.parse2(password) {
        Ok(parsed) => parsed,
        Err(_) if load_legacy_provider() => p12.parse2(password).map_err(|_| wrong_password())?,
        Err(_) => return Err(wrong_password()),
    };
    let key = parsed.pkey.ok_or_else(|| Error::InvalidKey {
        detail: "the PKCS#12 file holds no private key (export the certificate with its key)"
            .to_owned(),
    })?;
    let certificate =
        parsed
            .cert
            .map(|c| c.to_der())
            .transpose()
            .map_err(|_| Error::InvalidKey {
                detail: "the PKCS#12 file's certificate cannot be read".to_owned(),
            })?;
    let mut chain = Vec::new();
    for ca in parsed.ca.into_iter().flatten() {
        chain.push(ca.to_der().map_err(|_| Error::InvalidKey {
            detail: "a certificate in the PKCS#12 file cannot be read".to_owned(),
        })?);
    }
    Ok(KeyBundle {
        key: PrivateKey::from_pkey(key),
        certificate,
        chain,
    })
}

fn wrong_password() -> Error {
    Error::WrongPassword {
        what: "the PKCS#12 file".to_owned(),
    }
}

/// Loads OpenSSL's legacy provider once (beside the default one); false when it is missing.
fn load_legacy_provider() -> bool {
    static LEGACY: OnceLock<Option<Provider>> = OnceLock::new();
    LEGACY
        .get_or_init(|| Provider::try_load(None, "legacy", true).ok())
        .is_some()
}

/// How an exported PKCS#12 is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protection {
    /// AES-256-CBC with PBKDF2 and a SHA-256 MAC: OpenSSL 3's default, read by current systems.
    #[default]
    Modern,
    /// 3DES with a SHA-1 MAC, for MDMs and systems that cannot read the modern form (older macOS
    /// and Java). Weaker: use it only when the MDM refuses the modern file.
    Legacy,
}

/// A password-protected PKCS#12 holding `cert_der` and its `key`, named `name`.
///
/// # Errors
/// [`Error::KeyMismatch`] when the key is not the certificate's; [`Error::InvalidInput`] for an
/// empty password; [`Error::InvalidKey`] when OpenSSL cannot build the file.
pub fn export(
    cert_der: &[u8],
    key: &PrivateKey,
    password: &str,
    name: &str,
    protection: Protection,
) -> Result<Zeroizing<Vec<u8>>> {
    if password.is_empty() {
        return Err(Error::InvalidInput {
            message: "a PKCS#12 export needs a password: the file holds the private key".to_owned(),
        });
    }
    check_pair(cert_der, key)?;
    let failed = |_| Error::InvalidKey {
        detail: "OpenSSL could not build the PKCS#12 file".to_owned(),
    };
    let cert = X509::from_der(cert_der).map_err(failed)?;
    let mut builder = Pkcs12::builder();
    builder.name(name).pkey(key.pkey()).cert(&cert);
    builder.ca(Stack::new().map_err(failed)?);
    if protection == Protection::Legacy {
        builder
            .key_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .cert_algorithm(Nid::PBE_WITHSHA1AND3_KEY_TRIPLEDES_CBC)
            .mac_md(MessageDigest::sha1());
    } else {
        builder.mac_md(MessageDigest::sha256());
    }
    let p12 = builder.build2(password).map_err(failed)?;
    p12.to_der().map(Zeroizing::new).map_err(failed)
}

/// The certificate and its key (PKCS#8) as one PEM file, certificate first.
///
/// # Errors
/// [`Error::KeyMismatch`] when the key is not the certificate's.
pub fn pem_bundle(cert_der: &[u8], key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>> {
    check_pair(cert_der, key)?;
    let mut out = Zeroizing::new(super::certificate_pem(cert_der).into_bytes());
    out.extend_from_slice(&key.to_pkcs8_pem()?);
    Ok(out)
}

fn check_pair(cert_der: &[u8], key: &PrivateKey) -> Result<()> {
    if super::certificate_matches(cert_der, key) {
        Ok(())
    } else {
        Err(Error::KeyMismatch {
            message: "the private key on record is not this certificate's key: nothing was exported; import the certificate again with the key that made its CSR".to_owned(),
        })
    }
}
