//! What is this file? Decided by content alone, never by name or extension: a `.vpptoken` renamed
//! `.p7m` is still a content token. Anything else is named as precisely as possible ("a PNG
//! image", "a private key") so the user knows which file they picked by mistake.

use super::ber::{Header, Tlv, oid_to_string, tag};
use super::server_token::split_headers;
use super::{Kind, pem};
use crate::error::{Error, MAX_FILE_SIZE, Result};

const ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";

/// Decides which credential `bytes` hold.
///
/// # Errors
/// [`Error::TooLarge`] past 1 MiB; [`Error::Unrecognized`] naming what the bytes look like.
pub fn sniff(bytes: &[u8]) -> Result<Kind> {
    if bytes.len() > MAX_FILE_SIZE {
        return Err(Error::TooLarge { size: bytes.len() });
    }
    if let Some(what) = binary_format(bytes) {
        return Err(Error::unrecognized(what));
    }
    if bytes.first() == Some(&0x30) {
        return der_kind(bytes);
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(Error::unrecognized("an empty file"));
    }
    if text.contains("-----BEGIN ") {
        return pem_kind(text);
    }
    if let Some((headers, _)) = split_headers(text) {
        let headers = headers.to_ascii_lowercase();
        if headers.contains("pkcs7-mime") || headers.contains("smime.p7m") {
            return Ok(Kind::ServerToken);
        }
        if headers.contains("content-type") {
            return Err(Error::unrecognized(
                "a MIME message that is not S/MIME encrypted data",
            ));
        }
    }
    // Bare base64: a content token, or a server token without its MIME headers. Cut short, the
    // base64 may no longer decode as a whole: its whole quads still tell what it was.
    let decoded = pem::decode_base64(text.as_bytes()).or_else(|| whole_quads(text));
    if let Some(decoded) = decoded {
        let decoded = zeroize::Zeroizing::new(decoded);
        let start = decoded.iter().position(|b| !b.is_ascii_whitespace());
        match start.and_then(|i| decoded.get(i)) {
            Some(b'{') => return Ok(Kind::ContentToken),
            Some(0x30) => match der_kind(&decoded) {
                Ok(Kind::ServerToken) => return Ok(Kind::ServerToken),
                Err(e @ Error::Corrupt { .. }) => return Err(e),
                _ => {}
            },
            _ => {}
        }
    }
    if text.starts_with('{') {
        return Err(Error::unrecognized(
            "a JSON document (an Apps and Books token is base64, as Apple sends it: use the .vpptoken file itself)",
        ));
    }
    if text.starts_with("<?xml") || text.starts_with("<!DOCTYPE") || text.starts_with("<html") {
        return Err(Error::unrecognized("an XML or HTML document"));
    }
    Err(Error::Unrecognized { what: None })
}

/// Well-known binary formats people pick by mistake.
fn binary_format(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (
            b"PK\x03\x04",
            "a ZIP archive (unzip it and choose the file inside)",
        ),
        (b"bplist", "a binary property list"),
        (b"\x7fELF", "a program"),
        (b"MZ", "a Windows program"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, what)| *what)
}

/// The decodable start of base64 that does not decode as a whole (the file was cut short):
/// `None` unless every character is base64 or whitespace.
fn whole_quads(text: &str) -> Option<Vec<u8>> {
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
    let cleaned: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .take_while(|&b| b != b'=')
        .collect();
    if cleaned.len() < 8 || !cleaned.iter().all(|&b| alphabet(b)) {
        return None;
    }
    let whole = cleaned.len() - cleaned.len() % 4;
    pem::decode_base64(cleaned.get(..whole)?)
}

/// What a BER/DER file that cannot be read whole was going to be, from its first headers: a CMS
/// EnvelopedData (`SEQUENCE { OID envelopedData, ...`) is a server token, a `SEQUENCE {
/// SEQUENCE { [0] version ...` a certificate.
fn cut_short_kind(bytes: &[u8]) -> Option<Kind> {
    let outer = Header::read(bytes).ok()?;
    if !outer.is(tag::SEQUENCE) || !outer.constructed {
        return None;
    }
    let inner_bytes = bytes.get(outer.header_len..)?;
    let inner = Header::read(inner_bytes).ok()?;
    if inner.is(tag::OID) {
        let end = inner.header_len.checked_add(inner.len?)?;
        let oid = oid_to_string(inner_bytes.get(inner.header_len..end)?);
        return (oid == ENVELOPED_DATA).then_some(Kind::ServerToken);
    }
    if inner.is(tag::SEQUENCE) && inner.constructed {
        let version = Header::read(inner_bytes.get(inner.header_len..)?).ok()?;
        let explicit_version = version.class == super::ber::Class::Context
            && version.constructed
            && version.number == 0;
        return explicit_version.then_some(Kind::PushCertificate);
    }
    None
}

/// Kind of a DER/BER file: EnvelopedData is a server token, a certificate a push certificate
/// candidate; PKCS#12 and keys are named.
fn der_kind(bytes: &[u8]) -> Result<Kind> {
    let Ok((outer, _)) = Tlv::read(bytes) else {
        if let Some(kind) = cut_short_kind(bytes) {
            return Err(Error::corrupt(
                kind,
                "it is cut short (the file ends before the data it announces)",
            ));
        }
        return Err(Error::unrecognized(
            "binary data that is not a valid certificate or token",
        ));
    };
    let children = outer.children().unwrap_or_default();
    match children.as_slice() {
        [oid, ..] if oid.is(tag::OID) => {
            let oid = oid_to_string(oid.body);
            if oid == ENVELOPED_DATA {
                Ok(Kind::ServerToken)
            } else if oid.starts_with("1.2.840.113549.1.7.") {
                Err(Error::unrecognized(
                    "PKCS#7 data that is not encrypted (an ADE token is encrypted data)",
                ))
            } else {
                Err(Error::unrecognized(
                    "binary data that is not a certificate or token",
                ))
            }
        }
        [tbs, algorithm, _signature] if tbs.is(tag::SEQUENCE) && algorithm.is(tag::SEQUENCE) => {
            // A certificate (or a CSR, told apart by the push certificate parser).
            let tbs_fields = tbs.children().unwrap_or_default();
            let is_csr = tbs_fields
                .first()
                .is_some_and(|v| v.is(tag::INTEGER) && v.body == [0])
                && tbs_fields.len() == 4;
            if is_csr {
                Err(csr())
            } else {
                Ok(Kind::PushCertificate)
            }
        }
        [version, pfx_data, ..]
            if version.is(tag::INTEGER) && version.body == [3] && pfx_data.is(tag::SEQUENCE) =>
        {
            Err(Error::unrecognized(
                "a PKCS#12 (.p12) bundle; export the certificate alone as .pem, or drop the .pem Apple sent",
            ))
        }
        [version, ..] if version.is(tag::INTEGER) => Err(private_key()),
        _ => Err(Error::unrecognized(
            "binary data that is not a certificate or token",
        )),
    }
}

fn private_key() -> Error {
    Error::unrecognized(
        "a private key, not a credential: give it with --key (or in the key step of the wizard) next to the certificate or token",
    )
}

fn csr() -> Error {
    Error::unrecognized(
        "a certificate signing request (CSR): upload it at identity.apple.com and drop the .pem certificate Apple gives back",
    )
}

/// Kind of a PEM text, by its block labels.
fn pem_kind(text: &str) -> Result<Kind> {
    let blocks = pem::blocks(text);
    let has = |label: &str| blocks.iter().any(|b| b.label == label);
    if has("CERTIFICATE") || has("X509 CERTIFICATE") || has("TRUSTED CERTIFICATE") {
        Ok(Kind::PushCertificate)
    } else if has("PKCS7") || has("CMS") {
        Ok(Kind::ServerToken)
    } else if blocks.iter().any(|b| b.label.ends_with("PRIVATE KEY")) {
        Err(private_key())
    } else if has("CERTIFICATE REQUEST") || has("NEW CERTIFICATE REQUEST") {
        Err(csr())
    } else if has("PUBLIC KEY") || has("RSA PUBLIC KEY") {
        Err(Error::unrecognized("a public key"))
    } else {
        Err(Error::unrecognized(
            "a PEM file without a certificate or token",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_common_mistakes() {
        let png = sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect_err("png");
        assert_eq!(png.kind(), "unrecognized_file");
        assert!(png.to_string().contains("PNG image"), "{png}");
        let key = sniff(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            .expect_err("key");
        assert!(key.to_string().contains("private key"), "{key}");
        assert_eq!(sniff(b"").expect_err("empty").kind(), "unrecognized_file");
        assert_eq!(
            sniff(b"hello").expect_err("text").kind(),
            "unrecognized_file"
        );
    }

    #[test]
    fn too_large_is_refused_at_once() {
        let big = vec![b'A'; MAX_FILE_SIZE + 1];
        assert_eq!(sniff(&big).expect_err("big").kind(), "too_large");
    }
}
