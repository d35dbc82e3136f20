//! The Apps and Books check of a content token: `GET client/config` with the token file as a
//! Bearer token returns the location's name and `uId`, Apple's expiry for the token and the MDM
//! that claims it. Errors come as `{"errorNumber": N}`, sometimes with HTTP 200, so the body is
//! always read. Never `POST client/config`: that would claim the token for TokenKeeper and take
//! it away from the customer's MDM.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::classify::{self, Finding, excerpt};
use super::{Failure, Http, redact};
use crate::token::content_token::parse_exp_date;
use crate::token::fields::{MAX_NAME_CHARS, first_too_long};

/// What `client/config` says about the location.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// The location's name.
    pub location_name: Option<String>,
    /// The location's stable id: the key of the location once known.
    pub uid: Option<String>,
    /// When Apple stops accepting the token.
    pub expires_at: Option<DateTime<Utc>>,
    /// The location's country.
    pub country: Option<String>,
    /// Which MDM claims the token (`id`, `name`, `metadata`), if one does.
    pub mdm_info: Option<Value>,
}

/// Apple's field names.
#[derive(Deserialize)]
struct RawConfig {
    #[serde(rename = "locationName")]
    location_name: Option<String>,
    #[serde(rename = "uId")]
    uid: Option<Value>,
    #[serde(rename = "tokenExpirationDate")]
    token_expiration_date: Option<String>,
    #[serde(rename = "countryISO2ACode")]
    country: Option<String>,
    #[serde(rename = "mdmInfo")]
    mdm_info: Option<Value>,
}

/// Checks a content token (`bearer` is the trimmed file content) against `base`
/// (`.../mdm/v2`).
///
/// # Errors
/// A [`Failure`] saying what Apple answered, or that it could not be reached.
pub fn check(
    base: &str,
    bearer: &str,
    now: DateTime<Utc>,
    timeout: std::time::Duration,
) -> std::result::Result<ClientConfig, Failure> {
    let http = Http::new(base, timeout);
    let authorization = zeroize::Zeroizing::new(format!("Bearer {bearer}"));
    let reply = http
        .get(
            &format!("{base}/client/config"),
            &[("Authorization", authorization.as_str())],
        )
        .map_err(|f| match f {
            Finding::Unreachable { detail } => Failure::from(Finding::Unreachable {
                detail: redact(&detail, &[bearer]),
            }),
            other => Failure::from(other),
        })?;
    drop(authorization);
    let failure = |finding: Finding| {
        let message = excerpt(&redact(&reply.body, &[bearer]));
        let finding = match finding {
            Finding::Unexpected { detail } => Finding::Unexpected {
                detail: redact(&detail, &[bearer]),
            },
            other => other,
        };
        Failure {
            finding,
            http_status: Some(reply.status),
            apple_message: (!message.is_empty()).then_some(message),
        }
    };
    if let Some(finding) =
        classify::apps_and_books(reply.status, &reply.body, reply.retry_after.as_deref(), now)
    {
        return Err(failure(finding));
    }
    read_config(&reply.body).map_err(|detail| failure(Finding::Unexpected { detail }))
}

/// Reads a successful `client/config` answer's body. Pure, so it is tested (and fuzzed) without
/// a server.
///
/// # Errors
/// What is wrong, in words: not the expected JSON, or a text field far longer than Apple
/// writes (it would be stored and shown everywhere).
pub fn read_config(body: &str) -> std::result::Result<ClientConfig, String> {
    let raw: RawConfig = serde_json::from_str(body)
        .map_err(|_| "the client/config answer is not the expected JSON".to_owned())?;
    let texts = [
        ("locationName", raw.location_name.as_deref()),
        ("countryISO2ACode", raw.country.as_deref()),
        ("tokenExpirationDate", raw.token_expiration_date.as_deref()),
        ("uId", raw.uid.as_ref().and_then(Value::as_str)),
    ];
    if let Some((field, length)) = first_too_long(&texts, MAX_NAME_CHARS) {
        return Err(format!(
            "the client/config answer's {field} is {length} characters long, far longer than Apple writes: it was not kept; check again later"
        ));
    }
    let uid = raw.uid.and_then(|v| match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    Ok(ClientConfig {
        location_name: raw.location_name,
        uid,
        expires_at: raw
            .token_expiration_date
            .as_deref()
            .and_then(parse_exp_date),
        country: raw.country,
        mdm_info: raw.mdm_info.filter(|v| !v.is_null()),
    })
}
