//! The HTTP agents sessions share: one per (CA, proxy use, time limit), so the TLS connector,
//! and the CA bundle it loads, is built once rather than for every request.

use std::time::Duration;

use crate::SyncError;

/// Whether `url` points at this computer (no proxy for it).
pub(super) fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The HTTP agent for connections trusting `ca_pem` (else the platform's roots) with time limit
/// `limit`, shared by every session with the same: building its TLS connector loads the
/// system's CA bundle (OpenSSL reads and decodes every certificate of it), which was most of a
/// connection's 130 ms when each session built its own.
pub(super) fn shared_agent(
    ca_pem: Option<&str>,
    loopback: bool,
    limit: Duration,
) -> Result<ureq::Agent, SyncError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = (Option<String>, bool, Duration);
    static AGENTS: OnceLock<Mutex<HashMap<Key, ureq::Agent>>> = OnceLock::new();
    let key = (ca_pem.map(str::to_owned), loopback, limit);
    let agents = AGENTS.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(agent) = agents.lock().map_err(|_| poisoned())?.get(&key) {
        return Ok(agent.clone());
    }
    let agent = build_agent(ca_pem, loopback, limit)?;
    let mut agents = agents.lock().map_err(|_| poisoned())?;
    // A handful of CAs and limits at most; never let the map grow without bound.
    if agents.len() >= 64 {
        agents.clear();
    }
    Ok(agents.entry(key).or_insert(agent).clone())
}

fn poisoned() -> SyncError {
    SyncError::Settings {
        detail:
            "the HTTP client could not be set up (an earlier sync crashed): restart TokenKeeper"
                .to_owned(),
    }
}

fn build_agent(
    ca_pem: Option<&str>,
    loopback: bool,
    limit: Duration,
) -> Result<ureq::Agent, SyncError> {
    let roots = match ca_pem {
        Some(pem) => {
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(pem.as_bytes())
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(SyncError::Settings {
                    detail: "the connection's CA file holds no PEM certificate".to_owned(),
                });
            }
            ureq::tls::RootCerts::new_with_certs(&certs)
        }
        None => ureq::tls::RootCerts::PlatformVerifier,
    };
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::NativeTls)
        .root_certs(roots)
        .build();
    let agent = ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(limit))
        .proxy(if loopback {
            None
        } else {
            ureq::Proxy::try_from_env()
        })
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .user_agent(concat!("TokenKeeper/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent();
    Ok(agent)
}
