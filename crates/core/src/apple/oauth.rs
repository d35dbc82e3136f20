//! OAuth 1.0a request signing (RFC 5849) with HMAC-SHA1, as the Device Assignment API's
//! `GET /session` expects it: the signature base string (section 3.4.1), percent-encoding per
//! RFC 3986 (section 3.6) and the `Authorization: OAuth ...` header (section 3.5.1). Only what a
//! `GET` without a body needs, plus query parameters so the RFC's own examples can be checked.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The four OAuth values of an ADE server token. The three secrets are redacted in `Debug`.
pub struct OAuthKeys {
    /// `CK_...`: identifies the MDM server entry (not secret).
    pub consumer_key: String,
    /// `CS_...`.
    pub consumer_secret: SecretString,
    /// `AT_...`.
    pub access_token: SecretString,
    /// `AS_...`.
    pub access_secret: SecretString,
}

impl std::fmt::Debug for OAuthKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthKeys")
            .field("consumer_key", &self.consumer_key)
            .finish_non_exhaustive()
    }
}

/// Percent-encodes per RFC 5849 section 3.6: every byte except the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX` with uppercase hex, UTF-8 first.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` text (`+` is a space), as RFC 5849 section
/// 3.4.1.3.1 reads query components. Invalid escapes are kept as they are.
fn form_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi << 4 | lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Splits a URL into its base string URI (section 3.4.1.2: lowercase scheme and host, default
/// port dropped, no query or fragment) and its decoded query parameters.
///
/// # Errors
/// [`Error::InvalidInput`] when the URL has no `scheme://host`.
pub fn split_url(url: &str) -> Result<(String, Vec<(String, String)>)> {
    let invalid = || Error::InvalidInput {
        message: format!("\"{url}\" is not an http or https URL"),
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(invalid)?;
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => (&before_query[..i], &before_query[i..]),
        None => (before_query, "/"),
    };
    if authority.is_empty() {
        return Err(invalid());
    }
    let authority = authority.to_ascii_lowercase();
    let authority = match (scheme.as_str(), authority.rsplit_once(':')) {
        ("http", Some((host, "80"))) | ("https", Some((host, "443"))) => host.to_owned(),
        _ => authority,
    };
    let params = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (form_decode(k), form_decode(v)),
            None => (form_decode(p), String::new()),
        })
        .collect();
    Ok((format!("{scheme}://{authority}{path}"), params))
}

/// The signature base string (section 3.4.1): method, base string URI and the normalized
/// parameters (section 3.4.1.3.2: encoded, sorted by name then value, joined with `&`), each
/// percent-encoded and joined with `&`. `params` are decoded names and values, the
/// `oauth_*` protocol parameters included and `oauth_signature` and `realm` excluded.
pub fn base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    encoded.sort();
    let normalized = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(base_uri),
        percent_encode(&normalized)
    )
}

/// HMAC-SHA1 of the base string keyed by `encode(consumer secret) & encode(token secret)`
/// (section 3.4.2), base64-encoded.
///
/// # Errors
/// [`Error::InvalidInput`] if OpenSSL refuses the HMAC (it does not for any key).
pub fn hmac_sha1(base: &str, consumer_secret: &str, token_secret: &str) -> Result<String> {
    let key = Zeroizing::new(format!(
        "{}&{}",
        percent_encode(consumer_secret),
        percent_encode(token_secret)
    ));
    let failed = |_| Error::InvalidInput {
        message: "HMAC-SHA1 is not available in this OpenSSL".to_owned(),
    };
    let pkey = PKey::hmac(key.as_bytes()).map_err(failed)?;
    let mut signer = Signer::new(MessageDigest::sha1(), &pkey).map_err(failed)?;
    signer.update(base.as_bytes()).map_err(failed)?;
    Ok(STANDARD.encode(signer.sign_to_vec().map_err(failed)?))
}

/// The `Authorization` header value for `method url`, signed with `keys` at `timestamp`
/// (seconds since 1970) with `nonce`. Holds the access token: zeroed when dropped, never logged.
///
/// # Errors
/// [`Error::InvalidInput`] for a URL that is not http(s).
pub fn authorization(
    method: &str,
    url: &str,
    keys: &OAuthKeys,
    timestamp: i64,
    nonce: &str,
) -> Result<Zeroizing<String>> {
    let (base_uri, mut params) = split_url(url)?;
    let protocol = [
        ("oauth_consumer_key", keys.consumer_key.clone()),
        ("oauth_token", keys.access_token.expose_secret().to_owned()),
        ("oauth_signature_method", "HMAC-SHA1".to_owned()),
        ("oauth_timestamp", timestamp.to_string()),
        ("oauth_nonce", nonce.to_owned()),
        ("oauth_version", "1.0".to_owned()),
    ];
    params.extend(protocol.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let base = Zeroizing::new(base_string(method, &base_uri, &params));
    params
        .iter_mut()
        .for_each(|(_, v)| zeroize::Zeroize::zeroize(v));
    let signature = hmac_sha1(
        &base,
        keys.consumer_secret.expose_secret(),
        keys.access_secret.expose_secret(),
    )?;
    let mut header = Zeroizing::new(String::from("OAuth realm=\"ADM\""));
    for (k, v) in protocol
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .chain([("oauth_signature", signature.as_str())])
    {
        header.push_str(&format!(", {k}=\"{}\"", percent_encode(v)));
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("abcABC123-._~"), "abcABC123-._~");
        assert_eq!(percent_encode("a b+c/d=e&f%"), "a%20b%2Bc%2Fd%3De%26f%25");
        assert_eq!(percent_encode("café"), "caf%C3%A9");
        assert_eq!(percent_encode("*!'()"), "%2A%21%27%28%29");
    }

    /// RFC 5849 section 3.4.1.1: the example request's signature base string.
    #[test]
    fn rfc5849_base_string_example() {
        let (uri, mut params) =
            split_url("http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b").unwrap();
        assert_eq!(uri, "http://example.com/request");
        // The form body `c2&a3=2+q`, then the protocol parameters.
        params.extend([p("c2", ""), p("a3", "2 q")]);
        params.extend([
            p("oauth_consumer_key", "9djdj82h48djs9d2"),
            p("oauth_token", "kkk9d7dh3k39sjv7"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "137131201"),
            p("oauth_nonce", "7d8f3e4a"),
        ]);
        assert_eq!(
            base_string("post", &uri, &params),
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    /// RFC 5849 section 1.2: the photo example's HMAC-SHA1 signature.
    #[test]
    fn rfc5849_signature_example() {
        let (uri, mut params) =
            split_url("http://photos.example.net/photos?file=vacation.jpg&size=original").unwrap();
        params.extend([
            p("oauth_consumer_key", "dpf43f3p2l4k3l03"),
            p("oauth_token", "nnch734d00sl2jdk"),
            p("oauth_signature_method", "HMAC-SHA1"),
            p("oauth_timestamp", "137131202"),
            p("oauth_nonce", "chapoH"),
        ]);
        let base = base_string("GET", &uri, &params);
        let signature = hmac_sha1(&base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00").unwrap();
        assert_eq!(signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
        assert_eq!(
            percent_encode(&signature),
            "MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"
        );
    }

    #[test]
    fn base_uri_keeps_other_ports_and_drops_default_ones() {
        assert_eq!(
            split_url("https://Mdmenrollment.apple.com:443/session")
                .unwrap()
                .0,
            "https://mdmenrollment.apple.com/session"
        );
        assert_eq!(
            split_url("http://127.0.0.1:8080/session").unwrap().0,
            "http://127.0.0.1:8080/session"
        );
        assert_eq!(split_url("https://h").unwrap().0, "https://h/");
        assert!(split_url("mdmenrollment.apple.com/session").is_err());
    }

    #[test]
    fn header_names_every_protocol_parameter_and_no_secret() {
        let keys = OAuthKeys {
            consumer_key: "CK_1".to_owned(),
            consumer_secret: SecretString::from("CS_secret"),
            access_token: SecretString::from("AT_token"),
            access_secret: SecretString::from("AS_secret"),
        };
        let header = authorization("GET", "https://h/session", &keys, 1_700_000_000, "n1").unwrap();
        for part in [
            "OAuth realm=\"ADM\"",
            "oauth_consumer_key=\"CK_1\"",
            "oauth_token=\"AT_token\"",
            "oauth_signature_method=\"HMAC-SHA1\"",
            "oauth_timestamp=\"1700000000\"",
            "oauth_nonce=\"n1\"",
            "oauth_version=\"1.0\"",
            "oauth_signature=\"",
        ] {
            assert!(header.contains(part), "{part} in {}", header.as_str());
        }
        assert!(!header.contains("CS_secret") && !header.contains("AS_secret"));
        assert!(!format!("{keys:?}").contains("secret"));
    }
}
