//! Posting to a webhook (Teams, Slack, generic): platform TLS (or the channel's own CA), no
//! redirects, a time limit, `Retry-After` read. No error ever repeats the URL: it carries the
//! token that lets anyone post.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use tokenkeeper_core::alerts::parse_retry_after;
use tokenkeeper_core::vault::DeliveryFailure;

/// The signature header of the generic webhook.
pub const SIGNATURE_HEADER: &str = "X-TokenKeeper-Signature";
/// The message id header: a receiver drops a repeat by it.
pub const DELIVERY_HEADER: &str = "X-TokenKeeper-Delivery";

fn failure(message: impl Into<String>) -> DeliveryFailure {
    DeliveryFailure {
        message: message.into(),
        retry_after: None,
    }
}

/// `sha256=<lowercase hex HMAC-SHA256 of body under key>`: what the generic webhook sends in
/// [`SIGNATURE_HEADER`].
pub fn signature(key: &[u8], body: &[u8]) -> Option<String> {
    let key = PKey::hmac(key).ok()?;
    let mut signer = Signer::new(MessageDigest::sha256(), &key).ok()?;
    signer.update(body).ok()?;
    let mac = signer.sign_to_vec().ok()?;
    Some(format!(
        "sha256={}",
        mac.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

fn agent(
    url: &str,
    ca_file: Option<&str>,
    timeout: Duration,
) -> Result<ureq::Agent, DeliveryFailure> {
    let roots = match ca_file {
        Some(path) => {
            let pem = std::fs::read(path)
                .map_err(|e| failure(format!("cannot read the CA file {path}: {e}")))?;
            let cert = ureq::tls::Certificate::from_pem(&pem)
                .map_err(|_| failure(format!("the CA file {path} holds no PEM certificate")))?;
            ureq::tls::RootCerts::Specific(Arc::new(vec![cert]))
        }
        None => ureq::tls::RootCerts::PlatformVerifier,
    };
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::NativeTls)
        .root_certs(roots)
        .build();
    let local = tokenkeeper_core::vault::webhook_endpoint(url)
        .map(|e| e.starts_with("http://"))
        .unwrap_or(false);
    Ok(ureq::Agent::config_builder()
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
        .build()
        .new_agent())
}

/// Why a post got no answer, in words that never include the URL.
fn unreachable(e: &ureq::Error, timeout: Duration) -> String {
    match e {
        ureq::Error::Timeout(_) | ureq::Error::BodyStalled => {
            format!("no answer within {} seconds", timeout.as_secs())
        }
        ureq::Error::HostNotFound => "host not found: check the address and DNS".to_owned(),
        ureq::Error::ConnectionFailed => "connection refused or unreachable".to_owned(),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
            std::io::ErrorKind::TimedOut => {
                format!("no answer within {} seconds", timeout.as_secs())
            }
            _ => "connection failed".to_owned(),
        },
        ureq::Error::Tls(what) => format!("TLS failure: {what}"),
        ureq::Error::NativeTls(tls) => format!("TLS failure (certificate not trusted?): {tls}"),
        ureq::Error::BadUri(_) => "the webhook address is not a valid URL".to_owned(),
        ureq::Error::Protocol(_) => "the answer is not valid HTTP".to_owned(),
        _ => "the post failed".to_owned(),
    }
}

/// Posts `body` as JSON to `url` with `headers`. A 2xx answer is a delivery; anything else a
/// failure, with the receiver's `Retry-After` when it gave one.
pub fn post(
    url: &str,
    ca_file: Option<&str>,
    headers: &[(&str, String)],
    body: &[u8],
    timeout: Duration,
) -> Result<(), DeliveryFailure> {
    let agent = agent(url, ca_file, timeout)?;
    let mut request = agent.post(url).header("Content-Type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let response = request
        .send(body)
        .map_err(|e| failure(unreachable(&e, timeout)))?;
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(());
    }
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, Utc::now()));
    let why = match status {
        429 => "the receiver asked to slow down (429)".to_owned(),
        401 | 403 => format!("the receiver refused the post ({status}): check the webhook address"),
        404 | 410 => format!("the webhook no longer exists ({status}): edit the channel"),
        s if s >= 500 => format!("the receiver failed ({s}); it is tried again"),
        s => format!("the receiver answered {s}"),
    };
    Err(DeliveryFailure {
        message: why,
        retry_after,
    })
}
