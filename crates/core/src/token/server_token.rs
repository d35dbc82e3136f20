//! ADE server tokens (`*_smime.p7m`): S/MIME around CMS EnvelopedData around a MIME message around
//! one line of JSON with the OAuth 1.0a credentials. Reading is a pipeline of named steps:
//! [`unwrap_smime`] -> [`envelope::Envelope::parse`] -> [`envelope::Envelope::decrypt`] ->
//! [`parse_message`]. Without the private key only the recipient can be read.

pub mod envelope;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

pub use envelope::{ContentCipher, Envelope};

use super::fields::{
    MAX_DATE_CHARS, MAX_DN_CHARS, MAX_OAUTH_CHARS, MAX_SERIAL_CHARS, cap, duplicate_error,
    duplicate_key,
};
use super::{Kind, PrivateKey, pem};
use crate::error::{Error, Recipient, Result};

/// An ADE server token read from a file, decrypted when the key was given.
#[derive(Debug, Serialize)]
pub struct ServerToken {
    /// Whether the token was decrypted.
    pub decrypted: bool,
    /// The consumer key (identity of the MDM server entry), when decrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer_key: Option<String>,
    /// The content encryption algorithm.
    pub cipher: ContentCipher,
    /// The certificate the token was encrypted for.
    pub recipient: Recipient,
    /// The decrypted values, secrets included (never serialized).
    #[serde(skip)]
    pub contents: Option<ServerTokenContents>,
}

/// The decrypted token. The OAuth secrets are redacted in `Debug` and never serialized.
#[derive(Debug)]
pub struct ServerTokenContents {
    /// `CK_...`: identifies the MDM server entry in ABM/ASM.
    pub consumer_key: String,
    /// When the access token expires (issue time plus one year).
    pub expires_at: DateTime<Utc>,
    /// The OAuth secrets.
    pub secrets: OAuthSecrets,
}

/// The three OAuth secrets of a server token: consumer secret, access token, access secret.
pub struct OAuthSecrets {
    /// `CS_...`.
    pub consumer_secret: SecretString,
    /// `AT_...`.
    pub access_token: SecretString,
    /// `AS_...`.
    pub access_secret: SecretString,
}

impl std::fmt::Debug for OAuthSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OAuthSecrets(redacted)")
    }
}

impl ServerToken {
    /// Reads a server token; decrypts it when `key` is given.
    ///
    /// # Errors
    /// [`Error::Corrupt`] for damaged layers, [`Error::UnsupportedAlgorithm`] naming an unknown
    /// cipher or key transport, [`Error::WrongKey`] naming the recipient when `key` is not the one.
    pub fn parse(bytes: &[u8], key: Option<&PrivateKey>) -> Result<Self> {
        let ber = unwrap_smime(bytes)?;
        let envelope = Envelope::parse(&ber)?;
        let recipient = &envelope.recipient;
        cap(
            Kind::ServerToken,
            "recipient issuer",
            &recipient.issuer,
            MAX_DN_CHARS,
        )?;
        cap(
            Kind::ServerToken,
            "recipient serial number",
            &recipient.serial,
            MAX_SERIAL_CHARS,
        )?;
        let contents = match key {
            Some(key) => Some(parse_message(&envelope.decrypt(key)?)?),
            None => None,
        };
        Ok(Self {
            decrypted: contents.is_some(),
            consumer_key: contents.as_ref().map(|c| c.consumer_key.clone()),
            cipher: envelope.cipher,
            recipient: envelope.recipient,
            contents,
        })
    }
}

/// Step 1: the BER bytes of the CMS structure, from Apple's S/MIME layout, OpenSSL's S/MIME layout
/// (CRLF or LF), a PEM `PKCS7`/`CMS` block, bare base64, or raw BER/DER.
///
/// # Errors
/// [`Error::Corrupt`] when the body is not base64.
pub fn unwrap_smime(bytes: &[u8]) -> Result<Vec<u8>> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if let Some(block) = pem::blocks(text)
        .into_iter()
        .find(|b| b.label == "PKCS7" || b.label == "CMS")
    {
        return block
            .der
            .ok_or_else(|| Error::corrupt(Kind::ServerToken, "the PEM block's base64 is damaged"));
    }
    let body = match split_headers(text) {
        Some((_, body)) => body,
        None => text,
    };
    pem::decode_base64(body.as_bytes())
        .ok_or_else(|| Error::corrupt(Kind::ServerToken, "the base64 body is damaged or truncated"))
}

/// Splits MIME headers from the body at the first blank line (LF or CRLF). `None` when the text
/// does not start with header lines.
pub(crate) fn split_headers(text: &str) -> Option<(&str, &str)> {
    let first_line = text.lines().next()?;
    let (name, _) = first_line.split_once(':')?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let earliest = ["\r\n\r\n", "\n\n", "\n\r\n"]
        .iter()
        .filter_map(|sep| text.find(sep).map(|pos| (pos, sep.len())))
        .min();
    match earliest {
        Some((pos, len)) => Some((&text[..pos], &text[pos + len..])),
        None => Some((text, "")),
    }
}

const BEGIN_MESSAGE: &str = "-----BEGIN MESSAGE-----";
const END_MESSAGE: &str = "-----END MESSAGE-----";

#[derive(Deserialize)]
struct RawMessage {
    consumer_key: String,
    consumer_secret: SecretString,
    access_token: SecretString,
    access_secret: SecretString,
    access_token_expiry: String,
}

/// Step 4: the JSON inside the decrypted MIME message (`-----BEGIN MESSAGE-----` markers).
///
/// # Errors
/// [`Error::Corrupt`] naming what is missing; never quoting a secret.
pub fn parse_message(plaintext: &[u8]) -> Result<ServerTokenContents> {
    let text = std::str::from_utf8(plaintext)
        .map_err(|_| Error::corrupt(Kind::ServerToken, "the decrypted message is not text"))?;
    // The END marker is looked for after the BEGIN marker: they can share dashes
    // ("-----BEGIN MESSAGE--------END MESSAGE-----" made the old slicing panic; fuzzing found it).
    let marked = text.find(BEGIN_MESSAGE).and_then(|start| {
        let body = text.get(start + BEGIN_MESSAGE.len()..)?;
        body.find(END_MESSAGE).and_then(|end| body.get(..end))
    });
    let braced = || match (text.find('{'), text.rfind('}')) {
        (Some(start), Some(end)) if end > start => text.get(start..=end),
        _ => None,
    };
    let json = marked
        .or_else(braced)
        .ok_or_else(|| Error::corrupt(Kind::ServerToken, "the decrypted message holds no token"))?;
    let raw: RawMessage = serde_json::from_str(json.trim()).map_err(|e| {
        if let Some(field) = duplicate_key(json.trim().as_bytes()) {
            return duplicate_error(Kind::ServerToken, &field);
        }
        // serde's own text may quote values: name only the category and position.
        let what = match e.classify() {
            serde_json::error::Category::Data => "a field is missing or of the wrong type",
            _ => "the token's JSON is malformed",
        };
        Error::corrupt(Kind::ServerToken, format!("{what} (column {})", e.column()))
    })?;
    let token = Kind::ServerToken;
    cap(token, "consumer_key", &raw.consumer_key, MAX_OAUTH_CHARS)?;
    cap(
        token,
        "consumer_secret",
        raw.consumer_secret.expose_secret(),
        MAX_OAUTH_CHARS,
    )?;
    cap(
        token,
        "access_token",
        raw.access_token.expose_secret(),
        MAX_OAUTH_CHARS,
    )?;
    cap(
        token,
        "access_secret",
        raw.access_secret.expose_secret(),
        MAX_OAUTH_CHARS,
    )?;
    cap(
        token,
        "access_token_expiry",
        &raw.access_token_expiry,
        MAX_DATE_CHARS,
    )?;
    let expires_at = DateTime::parse_from_rfc3339(raw.access_token_expiry.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            Error::corrupt(
                Kind::ServerToken,
                "its access_token_expiry is not an RFC 3339 date",
            )
        })?;
    if raw.consumer_key.trim().is_empty()
        || raw.consumer_secret.expose_secret().is_empty()
        || raw.access_token.expose_secret().is_empty()
        || raw.access_secret.expose_secret().is_empty()
    {
        return Err(Error::corrupt(
            Kind::ServerToken,
            "one of its OAuth values is empty",
        ));
    }
    Ok(ServerTokenContents {
        consumer_key: raw.consumer_key,
        expires_at,
        secrets: OAuthSecrets {
            consumer_secret: raw.consumer_secret,
            access_token: raw.access_token,
            access_secret: raw.access_secret,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_with_markers() {
        let msg = b"Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n{\"consumer_key\":\"CK_1\",\"consumer_secret\":\"CS_2\",\"access_token\":\"AT_3\",\"access_secret\":\"AS_4\",\"access_token_expiry\":\"2026-01-17T11:02:21Z\"}\n-----END MESSAGE-----\n";
        let c = parse_message(msg).expect("valid");
        assert_eq!(c.consumer_key, "CK_1");
        assert_eq!(c.expires_at.to_rfc3339(), "2026-01-17T11:02:21+00:00");
        assert!(!format!("{c:?}").contains("CS_2"));
    }

    #[test]
    fn message_errors_never_quote_secrets() {
        let msg = br#"{"consumer_key":"CK_1","consumer_secret":"CS_SECRET","access_token":"AT_SECRET","access_secret":7,"access_token_expiry":"x"}"#;
        let e = parse_message(msg).expect_err("wrong type");
        let text = e.to_string();
        assert!(!text.contains("SECRET"), "{text}");
        assert_eq!(e.kind(), "corrupt_file");
    }

    #[test]
    fn repeated_and_absurd_fields_are_named() {
        let twice = br#"{"consumer_key":"CK_1","consumer_key":"CK_2","consumer_secret":"CS_SECRET","access_token":"AT_SECRET","access_secret":"AS_SECRET","access_token_expiry":"2026-01-17T11:02:21Z"}"#;
        let e = parse_message(twice).expect_err("duplicate");
        assert_eq!(e.kind(), "corrupt_file");
        assert!(
            e.to_string().contains("the field \"consumer_key\" twice"),
            "{e}"
        );
        let long = format!(
            r#"{{"consumer_key":"CK_{}","consumer_secret":"CS_SECRET","access_token":"AT_SECRET","access_secret":"AS_SECRET","access_token_expiry":"2026-01-17T11:02:21Z"}}"#,
            "k".repeat(100_000)
        );
        let e = parse_message(long.as_bytes()).expect_err("long");
        assert!(
            e.to_string()
                .contains("consumer_key is 100003 characters long"),
            "{e}"
        );
        assert!(!e.to_string().contains("SECRET"));
    }

    #[test]
    fn headers_split_lf_and_crlf() {
        assert_eq!(
            split_headers("A: b\nC: d\n\nQUJD"),
            Some(("A: b\nC: d", "QUJD"))
        );
        assert_eq!(
            split_headers("A: b\r\n\r\nQUJD\r\n"),
            Some(("A: b", "QUJD\r\n"))
        );
        assert_eq!(split_headers("QUJD"), None);
    }
}
