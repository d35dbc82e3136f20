//! Lenient PEM reading: every `-----BEGIN X-----` ... `-----END X-----` block in a text, including
//! blocks glued together without a newline and blocks with legacy `Proc-Type` headers, and a base64
//! decoder that ignores whitespace and accepts both alphabets.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// One PEM block found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The label between `BEGIN ` and the dashes, such as `CERTIFICATE`.
    pub label: String,
    /// Whether the block carries `Proc-Type: 4,ENCRYPTED` (a legacy password-protected key).
    pub encrypted: bool,
    /// The decoded body, or `None` when its base64 is damaged.
    pub der: Option<Vec<u8>>,
}

const BEGIN: &str = "-----BEGIN ";
const DASHES: &str = "-----";

/// Finds every PEM block in `text`, in order. Never fails: damaged bodies give `der: None`.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let after_begin = &rest[start + BEGIN.len()..];
        let Some(label_end) = after_begin.find(DASHES) else {
            break;
        };
        let label = after_begin[..label_end].trim().to_owned();
        let body_start = &after_begin[label_end + DASHES.len()..];
        let end_marker = format!("-----END {label}-----");
        let (body, next) = match body_start.find(&end_marker) {
            Some(end) => (&body_start[..end], &body_start[end + end_marker.len()..]),
            // Truncated: take what there is up to the next block, and report it damaged.
            None => {
                let stop = body_start.find(BEGIN).unwrap_or(body_start.len());
                found.push(Block {
                    label,
                    encrypted: false,
                    der: None,
                });
                rest = &body_start[stop..];
                continue;
            }
        };
        let encrypted = body.contains("Proc-Type:") && body.contains("ENCRYPTED");
        // Legacy encrypted keys put headers before a blank line; the base64 follows it.
        let payload = if body.contains(':') {
            body.rsplit_once("\n\n")
                .or_else(|| body.rsplit_once("\r\n\r\n"))
                .map_or(body, |(_, p)| p)
        } else {
            body
        };
        found.push(Block {
            label,
            encrypted,
            der: decode_base64(payload.as_bytes()),
        });
        rest = next;
    }
    found
}

/// Decodes base64 in the standard or URL-safe alphabet, with or without padding, ignoring ASCII
/// whitespace anywhere. `None` when it is not base64.
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let cleaned: Vec<u8> = text
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|&b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    LENIENT.decode(&cleaned).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_glued_blocks() {
        let text = "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE----------BEGIN RSA PRIVATE KEY-----\nAwQF\n-----END RSA PRIVATE KEY-----";
        let found = blocks(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].label, "CERTIFICATE");
        assert_eq!(found[0].der.as_deref(), Some(&[0u8, 1, 2][..]));
        assert_eq!(found[1].label, "RSA PRIVATE KEY");
        assert_eq!(found[1].der.as_deref(), Some(&[3u8, 4, 5][..]));
    }

    #[test]
    fn truncated_block_is_damaged() {
        let found = blocks("-----BEGIN CERTIFICATE-----\nAAEC");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].der, None);
    }

    #[test]
    fn legacy_encrypted_key_is_flagged() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        let found = blocks(text);
        assert!(found[0].encrypted);
        assert_eq!(found[0].der.as_deref(), Some(&[0u8, 1, 2][..]));
    }

    #[test]
    fn base64_both_alphabets_and_padding() {
        assert_eq!(decode_base64(b"+/8=").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(decode_base64(b"-_8").as_deref(), Some(&[0xfb, 0xff][..]));
        assert_eq!(
            decode_base64(b" +/\r\n8= \n").as_deref(),
            Some(&[0xfb, 0xff][..])
        );
        assert_eq!(decode_base64(b"not base64!"), None);
        assert_eq!(decode_base64(b"  "), None);
    }
}
