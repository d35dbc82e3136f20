//! Apps and Books content tokens (`.vpptoken`): one line of base64 (standard or URL-safe) of
//! `{"token": ..., "expDate": ..., "orgName": ...}`. The whole file content is the API credential.

use chrono::{DateTime, FixedOffset, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::fields::{
    MAX_DATE_CHARS, MAX_NAME_CHARS, MAX_TOKEN_CHARS, cap, duplicate_error, duplicate_key,
};
use super::{Kind, pem, sha256_hex};
use crate::error::{Error, Result};

/// An Apps and Books content token.
#[derive(Debug, Serialize)]
pub struct ContentToken {
    /// The organisation the token belongs to.
    pub org_name: String,
    /// SHA-256 of the file, lowercase hex: the offline identity of this download.
    pub sha256: String,
    /// When Apple stops accepting it.
    #[serde(skip)]
    pub expires_at: DateTime<Utc>,
    /// The file content (trimmed): the credential sent to Apple as a Bearer token.
    #[serde(skip)]
    pub secret: SecretString,
}

#[derive(Deserialize)]
struct RawToken {
    token: Option<SecretString>,
    #[serde(rename = "expDate")]
    exp_date: Option<String>,
    #[serde(rename = "orgName", default)]
    org_name: Option<String>,
}

fn corrupt(detail: impl Into<String>) -> Error {
    Error::corrupt(Kind::ContentToken, detail)
}

impl ContentToken {
    /// Reads a content token.
    ///
    /// # Errors
    /// [`Error::Corrupt`] when the base64, the JSON or the date is damaged; the message never
    /// quotes the token.
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| corrupt("it is not text"))?
            .trim_start_matches('\u{feff}')
            .trim();
        let json = pem::decode_base64(text.as_bytes())
            .ok_or_else(|| corrupt("its base64 is damaged or truncated"))?;
        let json = zeroize::Zeroizing::new(json);
        let raw: RawToken = serde_json::from_slice(&json).map_err(|e| {
            // serde names a repeated field as damage; say what it is and why it matters.
            match duplicate_key(&json) {
                Some(field) => duplicate_error(Kind::ContentToken, &field),
                None => corrupt(format!(
                    "its JSON is damaged or truncated (column {})",
                    e.column()
                )),
            }
        })?;
        let (Some(token), Some(exp_date)) = (raw.token, raw.exp_date) else {
            return Err(corrupt("it has no token or no expDate"));
        };
        let org_name = raw.org_name.unwrap_or_default();
        cap(Kind::ContentToken, "orgName", &org_name, MAX_NAME_CHARS)?;
        cap(Kind::ContentToken, "expDate", &exp_date, MAX_DATE_CHARS)?;
        cap(
            Kind::ContentToken,
            "token value",
            token.expose_secret(),
            MAX_TOKEN_CHARS,
        )?;
        let expires_at = parse_exp_date(&exp_date).ok_or_else(|| {
            let shown: String = exp_date.chars().take(40).collect();
            corrupt(format!(
                "its expDate \"{}\" is not a date",
                shown.escape_debug()
            ))
        })?;
        Ok(Self {
            org_name,
            sha256: sha256_hex(bytes),
            expires_at,
            secret: SecretString::from(text.to_owned()),
        })
    }
}

/// Parses `expDate`: RFC 3339 (`Z`, `+02:00`) or an offset without colon (`-0800`), with or
/// without fractional seconds.
pub fn parse_exp_date(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    DateTime::parse_from_rfc3339(value)
        .or_else(|_| DateTime::<FixedOffset>::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .or_else(|_| DateTime::<FixedOffset>::parse_from_str(value, "%Y-%m-%d %H:%M:%S%.f %z"))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn token(json: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .encode(json)
            .into_bytes()
    }

    #[test]
    fn a_repeated_field_is_named() {
        let bytes =
            token(r#"{"token":"x","expDate":"2027-03-04T10:00:00Z","orgName":"A","orgName":"B"}"#);
        let err = ContentToken::parse(&bytes).expect_err("duplicate");
        assert_eq!(err.kind(), "corrupt_file");
        let text = err.to_string();
        assert!(text.contains("the field \"orgName\" twice"), "{text}");
        assert!(text.contains("edited or is not from Apple"), "{text}");
        assert!(text.contains("download the token again"), "{text}");
        assert!(!text.contains("truncated"), "{text}");
    }

    #[test]
    fn absurd_organisation_names_are_refused() {
        let name = "A".repeat(700_000);
        let json =
            format!(r#"{{"token":"x","expDate":"2027-03-04T10:00:00Z","orgName":"{name}"}}"#);
        let err = ContentToken::parse(&token(&json)).expect_err("long");
        assert_eq!(err.kind(), "corrupt_file");
        let text = err.to_string();
        assert!(text.contains("orgName is 700000 characters long"), "{text}");
        assert!(text.len() < 400, "{text}");
        let fine = "B".repeat(MAX_NAME_CHARS);
        let json =
            format!(r#"{{"token":"x","expDate":"2027-03-04T10:00:00Z","orgName":"{fine}"}}"#);
        assert_eq!(
            ContentToken::parse(&token(&json)).expect("fine").org_name,
            fine
        );
    }

    #[test]
    fn exp_date_offsets() {
        let utc = "2027-03-04T10:00:00Z";
        for (input, expected) in [
            ("2027-03-04T10:00:00Z", utc),
            ("2027-03-04T02:00:00-0800", utc),
            ("2027-03-04T12:00:00+02:00", utc),
            ("2027-03-04T10:00:00.000+0000", utc),
            (" 2027-03-04T10:00:00+00:00 ", utc),
        ] {
            let got = parse_exp_date(input).expect(input);
            assert_eq!(
                got.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                expected
            );
        }
        assert_eq!(parse_exp_date("next Tuesday"), None);
        assert_eq!(parse_exp_date("2027-13-04T10:00:00Z"), None);
    }
}
