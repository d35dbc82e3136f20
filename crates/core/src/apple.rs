//! Read-only health checks at Apple: the Device Assignment API (`GET /session`, `GET /account`)
//! for ADE server tokens and the Apps and Books API (`GET client/config`) for content tokens.
//! Nothing else is ever called: no device or profile endpoint, never `POST client/config`
//! (that would take the token away from the customer's MDM).
//!
//! Base URLs are settings ([`AppleEndpoints`]), so tests and Apple's simulators can stand in.
//! HTTPS uses the platform's TLS and trust store (native-tls: Security.framework, SChannel,
//! OpenSSL with the system CA bundle); proxies come from `HTTPS_PROXY` / `ALL_PROXY` /
//! `NO_PROXY`; every call has a time limit. Secrets never reach an error, a log or the database.

pub mod apps_and_books;
pub mod classify;
pub mod device_assignment;
pub mod oauth;

use std::time::Duration;

use serde::Serialize;

pub use classify::{Finding, Service};

use crate::error::{Error, Result};

/// Apple's Device Assignment API.
pub const DEVICE_ASSIGNMENT_URL: &str = "https://mdmenrollment.apple.com";
/// Apple's Apps and Books API, version 2 (`client/config` lives under it).
pub const APPS_AND_BOOKS_URL: &str = "https://vpp.itunes.apple.com/mdm/v2";
/// How long one call to Apple may take, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read: Apple's are a few KiB.
const MAX_BODY: u64 = 1024 * 1024;

/// Where Apple's services are and how long to wait for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppleEndpoints {
    /// Base URL of the Device Assignment API, without a trailing slash.
    pub device_assignment: String,
    /// Base URL of the Apps and Books API v2, without a trailing slash.
    pub apps_and_books: String,
    /// Time limit of one call.
    #[serde(serialize_with = "seconds")]
    pub timeout: Duration,
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

impl Default for AppleEndpoints {
    fn default() -> Self {
        Self {
            device_assignment: DEVICE_ASSIGNMENT_URL.to_owned(),
            apps_and_books: APPS_AND_BOOKS_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl AppleEndpoints {
    /// Checks and normalizes a base URL typed by the user: `https://...`, or `http://` to this
    /// computer only (a local test server or simulator), since the tokens travel with every call.
    /// The trailing slash is dropped.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming what is wrong.
    pub fn base_url(url: &str) -> Result<String> {
        checked_url(
            url,
            "Apple's address",
            "https://mdmenrollment.apple.com",
            "Apple's services use https",
        )
    }
}

/// Checks and normalizes a service's base URL typed by the user (`https://...`, or `http://`
/// to this computer only); `whose` and `example` name it in the error. The trailing slash is
/// dropped.
///
/// # Errors
/// [`Error::InvalidInput`] naming what is wrong.
pub fn checked_url(url: &str, whose: &str, example: &str, https_why: &str) -> Result<String> {
    {
        let url = url.trim().trim_end_matches('/');
        let invalid = |why: &str| Error::InvalidInput {
            message: format!("\"{url}\" cannot be used as {whose}: {why}"),
        };
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("it contains spaces"));
        }
        if url.contains(['?', '#']) {
            return Err(invalid("it must not have a query or fragment"));
        }
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid(&format!("give a full URL such as {example}")))?;
        let host = host_of(rest);
        if host.is_empty() {
            return Err(invalid("it has no host"));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "https" => Ok(url.to_owned()),
            "http" if is_loopback(host) => Ok(url.to_owned()),
            "http" => Err(invalid(&format!(
                "plain http is only allowed to this computer (localhost); {https_why}"
            ))),
            _ => Err(invalid("only https URLs are allowed")),
        }
    }
}

/// The host of `authority/path` (brackets kept off IPv6 literals).
pub(crate) fn host_of(rest: &str) -> &str {
    let authority = rest.split('/').next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or_default();
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

pub(crate) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One answer from Apple, read whole (up to 1 MiB).
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    /// `X-ADM-Auth-Session`, when the answer carries one (a new session to use from now on).
    pub session: Option<String>,
    /// `Retry-After`, as sent.
    pub retry_after: Option<String>,
    pub body: String,
}

/// A blocking HTTP client for one service: platform TLS, proxies from the environment
/// (none for a server on this computer), the time limit, no redirects (a redirect could lead
/// to an endpoint the checks must never call).
pub(crate) struct Http {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Http {
    pub fn new(base_url: &str, timeout: Duration) -> Self {
        let local = base_url
            .split_once("://")
            .is_some_and(|(_, rest)| is_loopback(host_of(rest)));
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::NativeTls)
            .root_certs(ureq::tls::RootCerts::PlatformVerifier)
            .build();
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(if local {
                None
            } else {
                ureq::Proxy::try_from_env()
            })
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("TokenKeeper/", env!("CARGO_PKG_VERSION")))
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(15))))
            .build()
            .new_agent();
        Self { agent, timeout }
    }

    /// `GET url` with `headers`. A failure to get an answer is [`Finding::Unreachable`]; its
    /// text never includes a header value.
    pub fn get(&self, url: &str, headers: &[(&str, &str)]) -> std::result::Result<Reply, Finding> {
        let mut request = self.agent.get(url).header("Accept", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().map_err(|e| self.unreachable(&e))?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let session = header("X-ADM-Auth-Session");
        let retry_after = header("Retry-After");
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| self.unreachable(&e))?;
        Ok(Reply {
            status,
            session,
            retry_after,
            body,
        })
    }

    fn unreachable(&self, e: &ureq::Error) -> Finding {
        let detail = match e {
            ureq::Error::Timeout(_) | ureq::Error::BodyStalled => {
                format!("no answer within {} s", self.timeout.as_secs_f32())
            }
            ureq::Error::HostNotFound => "host not found: check the address and DNS".to_owned(),
            ureq::Error::ConnectionFailed => "connection failed".to_owned(),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    format!("no answer within {} s", self.timeout.as_secs_f32())
                }
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    "the connection was closed".to_owned()
                }
                std::io::ErrorKind::UnexpectedEof => {
                    "the connection closed before a full answer".to_owned()
                }
                other => format!("network error: {other}"),
            },
            ureq::Error::Tls(what) => format!("TLS failure: {what}"),
            ureq::Error::NativeTls(tls) => format!("TLS failure: {tls}"),
            ureq::Error::BodyExceedsLimit(_) => "the answer is far too large".to_owned(),
            ureq::Error::ConnectProxyFailed(why) => format!("the proxy refused: {why}"),
            ureq::Error::InvalidProxyUrl => {
                "the proxy address in HTTPS_PROXY is invalid".to_owned()
            }
            ureq::Error::BadUri(_) => "the service address is not a valid URL".to_owned(),
            ureq::Error::Protocol(_) => "the answer is not valid HTTP".to_owned(),
            _ => "network failure".to_owned(),
        };
        Finding::Unreachable { detail }
    }
}

/// Replaces every occurrence of a secret in text that came from outside (an error body that
/// echoes a header, say) before it is stored or shown.
pub(crate) fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(secret, "[redacted]");
    }
    out
}

/// A fresh OAuth nonce: 128 random bits, hex.
pub(crate) fn nonce() -> String {
    crate::pki::random_id()
}

/// Why a check did not succeed: what it means, and what Apple sent (without secrets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What it means.
    pub finding: Finding,
    /// The HTTP status, when Apple answered.
    pub http_status: Option<u16>,
    /// A short excerpt of Apple's answer, secrets removed.
    pub apple_message: Option<String>,
}

impl From<Finding> for Failure {
    fn from(finding: Finding) -> Self {
        Self {
            finding,
            http_status: None,
            apple_message: None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn base_urls_must_be_https_or_local() {
        assert_eq!(
            AppleEndpoints::base_url(" https://mdmenrollment.apple.com/ ").unwrap(),
            "https://mdmenrollment.apple.com"
        );
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost:9/mdm/v2",
            "http://[::1]:80",
        ] {
            assert!(AppleEndpoints::base_url(local).is_ok(), "{local}");
        }
        for bad in [
            "http://example.com",
            "ftp://h",
            "mdmenrollment.apple.com",
            "https://",
            "https://h/?x=1",
            "https://h x",
        ] {
            let e = AppleEndpoints::base_url(bad).unwrap_err();
            assert_eq!(e.kind(), "invalid_input", "{bad}");
        }
    }

    #[test]
    fn redaction_removes_every_secret() {
        assert_eq!(
            redact("bad token AT_123456 and AS_x", &["AT_123456", "AS_x", ""]),
            "bad token [redacted] and [redacted]"
        );
    }
}
