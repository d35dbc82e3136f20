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

const BEGIN: &str = "BEGIN ";
const END: &str = "END ";
const DASHES: &str = "-----";
/// Longest label read: RFC 7468 labels are a few words (`ENCRYPTED PRIVATE KEY`); anything
/// longer is not a marker, and bounding it keeps the scan linear.
const MAX_LABEL: usize = 64;

/// A `-----BEGIN X-----` or `-----END X-----` line (or part of a line) in a text.
struct Marker<'a> {
    begin: bool,
    label: &'a str,
    /// Where the marker starts.
    start: usize,
    /// Just past its closing dashes.
    end: usize,
}

/// Every marker in `text`, in order, in one forward pass: each search starts where the previous
/// one stopped, and a label is looked for within [`MAX_LABEL`] bytes, so the cost is linear in the
/// text whatever it holds (30,000 unterminated BEGIN lines included).
fn markers(text: &str) -> Vec<Marker<'_>> {
    let mut found = Vec::new();
    let mut pos = 0;
    while let Some(offset) = text.get(pos..).and_then(|rest| rest.find(DASHES)) {
        // A run of dashes holds at most one marker start: its last five dashes ("------BEGIN").
        let run_start = pos + offset;
        let run = text
            .as_bytes()
            .get(run_start..)
            .map_or(0, |r| r.iter().take_while(|&&b| b == b'-').count());
        let after_dashes = run_start + run;
        let start = after_dashes - DASHES.len();
        let rest = text.get(after_dashes..).unwrap_or_default();
        let (begin, word) = if rest.starts_with(BEGIN) {
            (true, BEGIN)
        } else if rest.starts_with(END) {
            (false, END)
        } else {
            pos = after_dashes;
            continue;
        };
        let label_start = after_dashes + word.len();
        match label_at(text, label_start) {
            Some(label) => {
                let label_end = label_start + label.len();
                found.push(Marker {
                    begin,
                    label: label.trim(),
                    start,
                    end: label_end + DASHES.len(),
                });
                // The closing dashes may also open the next marker ("-----END X------BEGIN").
                pos = label_end + 1;
            }
            None => pos = label_start,
        }
    }
    found
}

/// The label starting at `from`, up to its closing dashes on the same line.
fn label_at(text: &str, from: usize) -> Option<&str> {
    let window = text.get(from..)?.as_bytes();
    let window = window.get(..window.len().min(MAX_LABEL + DASHES.len()))?;
    let close = window
        .windows(DASHES.len())
        .position(|w| w == DASHES.as_bytes())?;
    let label = text.get(from..from + close)?;
    (!label.contains(['\n', '\r'])).then_some(label)
}

/// Finds every PEM block in `text`, in order. Never fails: damaged bodies give `der: None`.
///
/// A block runs from its BEGIN marker to the next marker; when that is not the END marker of the
/// same label, the block is truncated (`der: None`) and reading goes on from that marker. The
/// whole text is read once, in linear time.
pub fn blocks(text: &str) -> Vec<Block> {
    let markers = markers(text);
    let mut found = Vec::new();
    let mut iter = markers.iter().peekable();
    while let Some(marker) = iter.next() {
        if !marker.begin {
            // An END without its BEGIN: nothing to read.
            continue;
        }
        let label = marker.label.to_owned();
        let closed = iter
            .peek()
            .filter(|next| !next.begin && next.label == marker.label);
        let Some(end_marker) = closed else {
            // Truncated: report it damaged and read on from the next marker.
            found.push(Block {
                label,
                encrypted: false,
                der: None,
            });
            continue;
        };
        let body = text.get(marker.end..end_marker.start).unwrap_or_default();
        iter.next();
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
    fn a_truncated_block_does_not_swallow_the_next() {
        let text = "-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN RSA PRIVATE KEY-----\nAwQF\n-----END RSA PRIVATE KEY-----\n-----END CERTIFICATE-----";
        let found = blocks(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].label, "CERTIFICATE");
        assert_eq!(found[0].der, None);
        assert_eq!(found[1].der.as_deref(), Some(&[3u8, 4, 5][..]));
    }

    #[test]
    fn mismatched_end_and_dash_runs() {
        let found = blocks("-----BEGIN CERTIFICATE-----\nAAEC\n-----END PRIVATE KEY-----");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].der, None);
        let found = blocks("---------BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-------");
        assert_eq!(found[0].der.as_deref(), Some(&[0u8, 1, 2][..]));
        // Closing dashes that run on into the next BEGIN.
        let found =
            blocks("-----BEGIN A-----\nAAEC\n-----END A------BEGIN B-----\nAwQF\n-----END B-----");
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].der.as_deref(), Some(&[3u8, 4, 5][..]));
        // A label running past the line or past any sane length is no marker.
        assert!(blocks("-----BEGIN CERT\nIFICATE-----").is_empty());
        assert!(blocks(&format!("-----BEGIN {}-----", "A".repeat(500))).is_empty());
    }

    #[test]
    fn thirty_thousand_unterminated_begins_are_all_reported() {
        let text = "-----BEGIN CERTIFICATE-----\n".repeat(30_000);
        let found = blocks(&text);
        assert_eq!(found.len(), 30_000);
        assert!(found.iter().all(|b| b.der.is_none()));
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
