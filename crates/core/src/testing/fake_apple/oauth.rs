//! RFC 5849 (OAuth 1.0a, HMAC-SHA1), written from the RFC for the fake, independently of the
//! client's signer: a wrong signature from the client fails here.

use std::collections::HashMap;
use std::net::SocketAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;

use super::{Recorded, State};

/// Section 3.6: unreserved characters stay, every other byte is `%XX` (uppercase).
fn rfc3986(value: &str) -> String {
    const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    value
        .bytes()
        .map(|b| {
            if UNRESERVED.contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Section 3.5.1: `OAuth realm="...", name="value", ...`, values percent-encoded.
pub(super) fn params(header: &str) -> HashMap<String, String> {
    let Some(rest) = header.strip_prefix("OAuth ") else {
        return HashMap::new();
    };
    rest.split(',')
        .filter_map(|part| part.trim().split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), unescape(v.trim().trim_matches('"'))))
        .collect()
}

/// Verifies `/session`'s signature; `Some(())` when Apple would accept it.
pub(super) fn verify(s: &mut State, r: &Recorded, addr: SocketAddr) -> Option<()> {
    let params = params(r.header("authorization")?);
    if params.get("oauth_signature_method").map(String::as_str) != Some("HMAC-SHA1") {
        return None;
    }
    if params.get("oauth_version").is_some_and(|v| v != "1.0") {
        return None;
    }
    params.get("oauth_timestamp")?.parse::<i64>().ok()?;
    let nonce = params.get("oauth_nonce")?;
    let server = s.dep.get(params.get("oauth_consumer_key")?)?;
    if params.get("oauth_token")? != &server.access_token {
        return None;
    }
    // Section 3.4.1: method, base string URI (http, lowercase host, explicit port), params.
    let host = r
        .header("host")
        .map_or_else(|| addr.to_string(), str::to_ascii_lowercase);
    let uri = format!("http://{host}{}", r.path);
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "oauth_signature" && k.as_str() != "realm")
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    pairs.sort();
    let normalized: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let base = format!(
        "{}&{}&{}",
        r.method,
        rfc3986(&uri),
        rfc3986(&normalized.join("&"))
    );
    // Section 3.4.2: key = encoded consumer secret & encoded token secret.
    let key = format!(
        "{}&{}",
        rfc3986(&server.consumer_secret),
        rfc3986(&server.access_secret)
    );
    let pkey = PKey::hmac(key.as_bytes()).ok()?;
    let mut signer = Signer::new(MessageDigest::sha1(), &pkey).ok()?;
    signer.update(base.as_bytes()).ok()?;
    let expected = STANDARD.encode(signer.sign_to_vec().ok()?);
    if params.get("oauth_signature")? != &expected {
        return None;
    }
    // A nonce is good once.
    let nonce = nonce.clone();
    if !s.nonces.insert(nonce) {
        return None;
    }
    Some(())
}
