//! The connection URL: what tokio-postgres parses itself, what this crate takes out of it first
//! (the `sslmode` values it does not know, `sslrootcert`), and the URL as it may be shown (no
//! password, ever).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock, PoisonError};

use openssl::ssl::{SslContextBuilder, SslMethod, SslVerifyMode, SslVersion};
use openssl::x509::X509;
use openssl::x509::store::X509StoreBuilder;
use tokenkeeper_core::{Error, Result};

use crate::tls::Connector;

/// How much of the server's TLS is required and checked (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SslMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it, its certificate unchecked.
    Prefer,
    /// TLS always, its certificate unchecked (checked like verify-ca when a CA is named).
    Require,
    /// TLS, the certificate chain checked against the CA; any host name.
    VerifyCa,
    /// TLS, the chain and the host name checked.
    VerifyFull,
}

/// A connection URL taken apart: what tokio-postgres reads, and the TLS settings read here.
pub(crate) struct Target {
    /// The URL tokio-postgres parses: `sslmode` reduced to disable, prefer or require, no
    /// `sslrootcert`.
    pub(crate) config: postgres::Config,
    pub(crate) ssl_mode: SslMode,
    pub(crate) root_cert: Option<String>,
    /// The URL without its password, for messages.
    pub(crate) shown: String,
}

/// The parts of a `postgres://` URL, as text (no decoding but the query's).
struct Parts<'a> {
    scheme: &'a str,
    user: Option<&'a str>,
    password: Option<&'a str>,
    host: &'a str,
    path: &'a str,
    query: Vec<(&'a str, &'a str)>,
}

fn split(url: &str) -> Result<Parts<'_>> {
    let (scheme, rest) = url
        .split_once("://")
        .filter(|(s, _)| *s == "postgres" || *s == "postgresql")
        .ok_or_else(|| Error::Database {
            detail: "a PostgreSQL database is named by a URL: postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=verify-full".to_owned(),
        })?;
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match before_query.find('/') {
        Some(i) => (&before_query[..i], &before_query[i..]),
        None => (before_query, ""),
    };
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        Some(u) => match u.split_once(':') {
            Some((user, password)) => (Some(user), Some(password)),
            None => (Some(u), None),
        },
        None => (None, None),
    };
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    Ok(Parts {
        scheme,
        user,
        password,
        host,
        path,
        query,
    })
}

impl Parts<'_> {
    fn join(&self, with_password: bool, query: &[(&str, &str)]) -> String {
        let mut out = format!("{}://", self.scheme);
        if let Some(user) = self.user {
            out.push_str(user);
            if let (true, Some(p)) = (with_password, self.password) {
                out.push(':');
                out.push_str(p);
            }
            out.push('@');
        }
        out.push_str(self.host);
        out.push_str(self.path);
        for (i, (k, v)) in query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
        out
    }
}

/// Percent-decoding of a query value (a path to a CA file may hold escaped characters).
fn decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL without its password (and without a `password=` parameter): what messages and
/// `location()` show.
pub(crate) fn shown(url: &str) -> String {
    match split(url) {
        Ok(parts) => {
            let query: Vec<_> = parts
                .query
                .iter()
                .copied()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("password"))
                .collect();
            parts.join(false, &query)
        }
        Err(_) => "(not a postgres:// URL)".to_owned(),
    }
}

/// Every form of the password in `url` (as written, percent-decoded), to scrub from messages.
pub(crate) fn secrets(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(parts) = split(url) {
        let written = parts.password.into_iter().chain(
            parts
                .query
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("password"))
                .map(|(_, v)| *v),
        );
        for p in written.filter(|p| !p.is_empty()) {
            out.push(p.to_owned());
            out.push(decode(p));
        }
    }
    out
}

/// `message` with every form of the password replaced.
pub(crate) fn scrub(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_owned();
    for s in secrets {
        out = out.replace(s.as_str(), "***");
    }
    out
}

/// Takes the URL apart; the error names the URL without its password.
pub(crate) fn parse(url: &str) -> Result<Target> {
    let parts = split(url)?;
    let shown = shown(url);
    let mut ssl_mode = SslMode::Prefer;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for &(k, v) in &parts.query {
        match k {
            "sslmode" => {
                ssl_mode = match v {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(Error::Database {
                            detail: format!(
                                "{shown}: sslmode {other} is not one of disable, prefer, require, verify-ca, verify-full"
                            ),
                        });
                    }
                };
            }
            "sslrootcert" => root_cert = Some(decode(v)),
            _ => kept.push((k, v)),
        }
    }
    let reduced = match ssl_mode {
        SslMode::Disable => "disable",
        SslMode::Prefer => "prefer",
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => "require",
    };
    kept.push(("sslmode", reduced));
    let config = postgres::Config::from_str(&parts.join(true, &kept)).map_err(|e| {
        let secrets = secrets(url);
        Error::Database {
            detail: format!("{shown}: {}", scrub(&e.to_string(), &secrets)),
        }
    })?;
    Ok(Target {
        config,
        ssl_mode,
        root_cert,
        shown,
    })
}

impl Target {
    /// The TLS connector the mode asks for: the CA file the URL names (else the system's, and
    /// only when the chain is checked), the chain checked for verify-ca and verify-full (and
    /// require with a CA, as libpq does), the host name for verify-full only.
    ///
    /// One connector per mode and CA file in a process (a process that opens the vault and its
    /// secrets connects twice). With `sslrootcert`, only that CA is trusted, as libpq does.
    pub(crate) fn tls(&self) -> Result<Connector> {
        type Key = (SslMode, Option<String>);
        static MADE: OnceLock<Mutex<HashMap<Key, Connector>>> = OnceLock::new();
        let key = (self.ssl_mode, self.root_cert.clone());
        let made = MADE.get_or_init(Mutex::default);
        if let Some(c) = made
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(c.clone());
        }
        let connector = self.new_tls()?;
        made.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, connector.clone());
        Ok(connector)
    }

    fn new_tls(&self) -> Result<Connector> {
        let failed = |what: &str, e: &dyn std::fmt::Display| Error::Database {
            detail: format!("{}: {what}: {e}", self.shown),
        };
        let set_up = |e: openssl::error::ErrorStack| failed("cannot set up TLS", &e);
        let mut builder = SslContextBuilder::new(SslMethod::tls_client()).map_err(set_up)?;
        builder
            .set_min_proto_version(Some(SslVersion::TLS1_2))
            .map_err(set_up)?;
        let check_chain = match self.ssl_mode {
            SslMode::VerifyCa | SslMode::VerifyFull => true,
            SslMode::Require => self.root_cert.is_some(),
            SslMode::Disable | SslMode::Prefer => false,
        };
        if let Some(ca) = &self.root_cert {
            // The CA named replaces the system's: trusting both would let any public CA vouch
            // for the team's server.
            let pem = std::fs::read(ca)
                .map_err(|e| failed(&format!("cannot read the CA file {ca}"), &e))?;
            let certs = X509::stack_from_pem(&pem)
                .map_err(|e| failed(&format!("the CA file {ca} holds no PEM certificate"), &e))?;
            let mut store = X509StoreBuilder::new().map_err(set_up)?;
            for cert in certs {
                store
                    .add_cert(cert)
                    .map_err(|e| failed(&format!("cannot use the CA file {ca}"), &e))?;
            }
            builder.set_cert_store(store.build());
        } else if check_chain {
            builder.set_default_verify_paths().map_err(set_up)?;
        }
        builder.set_verify(if check_chain {
            SslVerifyMode::PEER
        } else {
            SslVerifyMode::NONE
        });
        Ok(Connector::new(
            builder.build(),
            self.ssl_mode == SslMode::VerifyFull,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let url = "postgres://tk:s%40cret@db.example:5433/vault?sslmode=verify-full&sslrootcert=/ca.pem&password=other";
        let shown = shown(url);
        assert_eq!(
            shown,
            "postgres://tk@db.example:5433/vault?sslmode=verify-full&sslrootcert=/ca.pem"
        );
        let secrets = secrets(url);
        assert!(secrets.contains(&"s@cret".to_owned()));
        assert_eq!(
            scrub("no s@cret here, nor other", &secrets),
            "no *** here, nor ***"
        );
    }

    #[test]
    fn verify_modes_are_read_here_and_reduced_for_the_driver() {
        let t =
            parse("postgres://u:p@127.0.0.1:5432/db?sslmode=verify-ca&sslrootcert=%2Fa%20b.pem")
                .expect("parses");
        assert_eq!(t.ssl_mode, SslMode::VerifyCa);
        assert_eq!(t.root_cert.as_deref(), Some("/a b.pem"));
        assert_eq!(t.config.get_ssl_mode(), postgres::config::SslMode::Require);
        assert_eq!(t.config.get_dbname(), Some("db"));
        let e = parse("postgres://u:hunter2@h/db?sslmode=maybe")
            .err()
            .expect("refused");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(parse("mysql://u@h/db").is_err());
    }
}
