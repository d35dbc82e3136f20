//! The Device Assignment check of an ADE server token: `GET /session` signed with OAuth 1.0a
//! returns a session token, then `GET /account` with it returns the MDM server's name and UUID,
//! the organisation and the Apple Account that generated the token. Any answer may carry a new
//! `X-ADM-Auth-Session` (used from then on); a 401 on `/account` means authenticate again,
//! once. No other endpoint is ever called.

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::classify::{self, Finding, excerpt};
use super::oauth::{self, OAuthKeys};
use super::{Failure, Http, Reply, redact};
use crate::error::{Error, Result};
use crate::token::Kind;

mod answers;

pub use answers::{read_account, read_session};

/// `X-Server-Protocol-Version` sent with every call: 3, the version whose answers are documented.
pub const PROTOCOL_VERSION: &str = "3";

/// What `/account` says about the MDM server entry. Apple's field names; unknown fields ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The MDM server's name in ABM/ASM.
    pub server_name: Option<String>,
    /// The MDM server's UUID.
    pub server_uuid: Option<String>,
    /// The Apple Account that generated the token.
    pub admin_id: Option<String>,
    /// Older name of `admin_id`.
    pub facilitator_id: Option<String>,
    /// The organisation.
    pub org_name: Option<String>,
    /// Its email address.
    pub org_email: Option<String>,
    /// Its phone number.
    pub org_phone: Option<String>,
    /// Its postal address.
    pub org_address: Option<String>,
    /// Its id at Apple.
    pub org_id: Option<String>,
    /// `edu` or `org`.
    pub org_type: Option<String>,
    /// `v1` or `v2`.
    pub org_version: Option<String>,
}

impl Account {
    /// The Apple Account that generated the token (`admin_id`, or `facilitator_id`).
    pub fn generated_by(&self) -> Option<&str> {
        self.admin_id
            .as_deref()
            .or(self.facilitator_id.as_deref())
            .filter(|a| !a.trim().is_empty())
    }
}

#[derive(Deserialize)]
struct StoredToken {
    consumer_key: String,
    consumer_secret: SecretString,
    access_token: SecretString,
    access_secret: SecretString,
}

/// Reads the OAuth values the vault stored at import (the JSON of the decrypted token).
///
/// # Errors
/// [`Error::Corrupt`] when the stored value is not that JSON; never quoting it.
pub fn keys_from_stored(stored: &[u8]) -> Result<OAuthKeys> {
    let raw: StoredToken = serde_json::from_slice(stored).map_err(|_| {
        Error::corrupt(
            Kind::ServerToken,
            "the OAuth values stored in the keychain are not readable; import the token again",
        )
    })?;
    Ok(OAuthKeys {
        consumer_key: raw.consumer_key,
        consumer_secret: raw.consumer_secret,
        access_token: raw.access_token,
        access_secret: raw.access_secret,
    })
}

/// A check in progress: the client, the keys, and every secret to keep out of messages.
struct Call<'a> {
    http: Http,
    base: &'a str,
    keys: &'a OAuthKeys,
    now: DateTime<Utc>,
    session: Option<Zeroizing<String>>,
}

impl Call<'_> {
    fn secrets(&self) -> Vec<&str> {
        let mut s = vec![
            self.keys.consumer_secret.expose_secret(),
            self.keys.access_token.expose_secret(),
            self.keys.access_secret.expose_secret(),
        ];
        if let Some(session) = &self.session {
            s.push(session.as_str());
        }
        s
    }

    fn failure(&self, reply: &Reply) -> Failure {
        let finding = classify::device_assignment(
            reply.status,
            &reply.body,
            reply.retry_after.as_deref(),
            self.now,
        )
        .unwrap_or(Finding::Unexpected {
            detail: format!("HTTP {}", reply.status),
        });
        self.failure_with(finding, reply)
    }

    fn failure_with(&self, finding: Finding, reply: &Reply) -> Failure {
        let message = excerpt(&redact(&reply.body, &self.secrets()));
        let finding = match finding {
            Finding::Unexpected { detail } => Finding::Unexpected {
                detail: redact(&detail, &self.secrets()),
            },
            other => other,
        };
        Failure {
            finding,
            http_status: Some(reply.status),
            apple_message: (!message.is_empty()).then_some(message),
        }
    }

    /// `GET /session`: a new session token.
    fn authenticate(&mut self) -> std::result::Result<(), Failure> {
        let url = format!("{}/session", self.base);
        let authorization = oauth::authorization(
            "GET",
            &url,
            self.keys,
            self.now.timestamp(),
            &super::nonce(),
        )
        .map_err(|e| Finding::Unexpected {
            detail: e.to_string(),
        })?;
        let reply = self
            .http
            .get(
                &url,
                &[
                    ("Authorization", authorization.as_str()),
                    ("X-Server-Protocol-Version", PROTOCOL_VERSION),
                ],
            )
            .map_err(|f| Failure::from(self.scrub(f)))?;
        drop(authorization);
        if !(200..300).contains(&reply.status) {
            return Err(self.failure(&reply));
        }
        let from_body = read_session(&reply.body);
        // A session in the header is the newest one.
        match reply.session.clone().or(from_body) {
            Some(token) => {
                self.session = Some(Zeroizing::new(token));
                Ok(())
            }
            None => Err(self.failure_with(
                Finding::Unexpected {
                    detail: "the /session answer holds no auth_session_token".to_owned(),
                },
                &Reply {
                    body: String::new(),
                    ..reply
                },
            )),
        }
    }

    /// `GET /account` with the current session.
    fn account(&mut self) -> std::result::Result<Reply, Failure> {
        let url = format!("{}/account", self.base);
        let session = self.session.clone().unwrap_or_default();
        let reply = self
            .http
            .get(
                &url,
                &[
                    ("X-ADM-Auth-Session", session.as_str()),
                    ("X-Server-Protocol-Version", PROTOCOL_VERSION),
                ],
            )
            .map_err(|f| Failure::from(self.scrub(f)))?;
        if let Some(newer) = &reply.session {
            self.session = Some(Zeroizing::new(newer.clone()));
        }
        Ok(reply)
    }

    fn scrub(&self, finding: Finding) -> Finding {
        match finding {
            Finding::Unreachable { detail } => Finding::Unreachable {
                detail: redact(&detail, &self.secrets()),
            },
            other => other,
        }
    }
}

/// A 401, or the 403 `FORBIDDEN` Apple's simulator sends for an unknown session: the session
/// is no longer good, authenticate again.
fn session_refused(reply: &Reply) -> bool {
    reply.status == 401
        || (reply.status == 403
            && reply.body.to_ascii_uppercase().contains("FORBIDDEN")
            && !reply.body.to_ascii_uppercase().contains("T_C_NOT_SIGNED"))
}

/// Checks a server token: `GET /session`, then `GET /account` (with exactly one new session
/// after a 401). `now` dates the OAuth signature.
///
/// # Errors
/// A [`Failure`] saying what Apple answered, or that it could not be reached.
pub fn check(
    base: &str,
    keys: &OAuthKeys,
    now: DateTime<Utc>,
    timeout: std::time::Duration,
) -> std::result::Result<Account, Failure> {
    let mut call = Call {
        http: Http::new(base, timeout),
        base,
        keys,
        now,
        session: None,
    };
    call.authenticate()?;
    let mut reply = call.account()?;
    if session_refused(&reply) {
        call.authenticate()?;
        reply = call.account()?;
    }
    if !(200..300).contains(&reply.status) {
        return Err(call.failure(&reply));
    }
    read_account(&reply.body)
        .map_err(|detail| call.failure_with(Finding::Unexpected { detail }, &reply))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn stored_values_are_read_and_never_quoted() {
        let keys = keys_from_stored(
            br#"{"consumer_key":"CK_1","consumer_secret":"CS_2","access_token":"AT_3","access_secret":"AS_4","access_token_expiry":"2027-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(keys.consumer_key, "CK_1");
        let e = keys_from_stored(br#"{"consumer_key":"CK_1","consumer_secret":"CS_SECRET"}"#)
            .unwrap_err();
        assert!(!e.to_string().contains("CS_SECRET"), "{e}");
    }

    #[test]
    fn account_reads_the_micromdm_sample_fields() {
        let a: Account = serde_json::from_str(
            r#"{"server_name":"dev","server_uuid":"66","facilitator_id":"f@x","org_name":"Acme","urls":[]}"#,
        )
        .unwrap();
        assert_eq!(a.server_name.as_deref(), Some("dev"));
        assert_eq!(a.generated_by(), Some("f@x"));
    }
}
