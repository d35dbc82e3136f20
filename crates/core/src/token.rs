//! The three Apple MDM credentials, read from bytes by their content: [`read`] decides what a file
//! is ([`sniff`]) and parses it; [`read_as`] also checks it is the kind the caller expected.

pub mod ber;
pub mod content_token;
pub mod fields;
pub mod key;
pub mod pem;
pub mod push_certificate;
pub mod server_token;
pub mod sniff;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer, ser::SerializeMap};

pub use content_token::ContentToken;
pub use key::PrivateKey;
pub use push_certificate::{PushCertificate, Topic};
pub use server_token::{ContentCipher, ServerToken, ServerTokenContents};

use crate::error::{Error, Result};
pub use crate::kind::Kind;

/// A credential read from a file. Secrets inside stay redacted in `Debug` and are never serialized.
#[derive(Debug)]
pub enum Credential {
    /// An APNs MDM push certificate.
    PushCertificate(PushCertificate),
    /// An ADE server token, decrypted or not.
    ServerToken(ServerToken),
    /// An Apps and Books content token.
    ContentToken(ContentToken),
}

impl Credential {
    /// Which kind of credential this is.
    pub fn kind(&self) -> Kind {
        match self {
            Credential::PushCertificate(_) => Kind::PushCertificate,
            Credential::ServerToken(_) => Kind::ServerToken,
            Credential::ContentToken(_) => Kind::ContentToken,
        }
    }

    /// SHA-256 (lowercase hex) of what this credential is, whatever encoding the file used: a
    /// push certificate's DER (PEM, DER or a bundle with its key all give the same), a content
    /// token's decoded JSON, a decrypted server token's values. A server token read without its
    /// key is known only by its `file_bytes`.
    pub fn content_sha256(&self, file_bytes: &[u8]) -> String {
        use secrecy::ExposeSecret;
        match self {
            Credential::PushCertificate(c) => sha256_hex(&c.der),
            Credential::ServerToken(t) => match &t.contents {
                Some(c) => {
                    let values = zeroize::Zeroizing::new(
                        [
                            c.consumer_key.as_str(),
                            c.secrets.consumer_secret.expose_secret(),
                            c.secrets.access_token.expose_secret(),
                            c.secrets.access_secret.expose_secret(),
                            &c.expires_at.to_rfc3339(),
                        ]
                        .join("\n"),
                    );
                    sha256_hex(values.as_bytes())
                }
                None => sha256_hex(file_bytes),
            },
            Credential::ContentToken(t) => {
                match pem::decode_base64(t.secret.expose_secret().as_bytes()) {
                    Some(json) => sha256_hex(&zeroize::Zeroizing::new(json)),
                    None => sha256_hex(file_bytes),
                }
            }
        }
    }

    /// When it stops working, if that can be known (a server token needs its key).
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Credential::PushCertificate(c) => Some(c.not_after),
            Credential::ServerToken(t) => t.contents.as_ref().map(|c| c.expires_at),
            Credential::ContentToken(t) => Some(t.expires_at),
        }
    }
}

/// Serialized as the `inspect --json` object: `kind`, `expires_at`, and an object named after the
/// kind with its fields. No secret is part of it.
impl Serialize for Credential {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("kind", &self.kind())?;
        map.serialize_entry("expires_at", &self.expires_at())?;
        match self {
            Credential::PushCertificate(c) => map.serialize_entry("push_certificate", c)?,
            Credential::ServerToken(t) => map.serialize_entry("server_token", t)?,
            Credential::ContentToken(t) => map.serialize_entry("content_token", t)?,
        }
        map.end()
    }
}

/// Reads any credential from its bytes, whatever the file was called.
///
/// `key` is used to decrypt a server token and to check that a push certificate matches its key.
///
/// # Errors
/// [`Error::TooLarge`], [`Error::Unrecognized`] when the content is none of the three kinds, and
/// every error of the kind's own parser.
pub fn read(bytes: &[u8], key: Option<&PrivateKey>) -> Result<Credential> {
    let kind = sniff::sniff(bytes)?;
    parse(kind, bytes, key)
}

/// Reads a credential that must be of the `expected` kind (a drop zone, a typed command).
///
/// # Errors
/// [`Error::WrongKind`] naming what the file really is, or any error of [`read`].
pub fn read_as(expected: Kind, bytes: &[u8], key: Option<&PrivateKey>) -> Result<Credential> {
    let found = sniff::sniff(bytes)?;
    if found != expected {
        return Err(Error::WrongKind { expected, found });
    }
    parse(found, bytes, key)
}

fn parse(kind: Kind, bytes: &[u8], key: Option<&PrivateKey>) -> Result<Credential> {
    Ok(match kind {
        Kind::PushCertificate => {
            Credential::PushCertificate(push_certificate::PushCertificate::parse(bytes, key)?)
        }
        Kind::ServerToken => Credential::ServerToken(server_token::ServerToken::parse(bytes, key)?),
        Kind::ContentToken => Credential::ContentToken(content_token::ContentToken::parse(bytes)?),
    })
}

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Lowercase hex of an unsigned big-endian integer, without leading zero bytes (at least "00").
pub(crate) fn serial_hex(bytes: &[u8]) -> String {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    match bytes.get(start..) {
        Some(rest) if !rest.is_empty() => hex(rest),
        _ => "00".to_owned(),
    }
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&openssl::sha::sha256(bytes))
}
