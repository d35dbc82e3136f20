//! A small, strict-about-bounds BER reader: enough of X.690 to walk CMS EnvelopedData as Apple
//! writes it (indefinite lengths, constructed OCTET STRINGs) and as OpenSSL writes it (DER).
//! Every read is bounds-checked; nesting is capped so hostile input cannot exhaust the stack.
#![deny(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod header;

pub use header::Header;

/// Deepest nesting accepted; CMS needs fewer than 12 levels.
const MAX_DEPTH: usize = 32;

/// Tag class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Universal (SEQUENCE, INTEGER, ...).
    Universal,
    /// Application.
    Application,
    /// Context-specific (`[0]`, `[1]`, ...).
    Context,
    /// Private.
    Private,
}

/// Universal tag numbers used here.
pub mod tag {
    /// INTEGER.
    pub const INTEGER: u32 = 2;
    /// OCTET STRING.
    pub const OCTET_STRING: u32 = 4;
    /// NULL.
    pub const NULL: u32 = 5;
    /// OBJECT IDENTIFIER.
    pub const OID: u32 = 6;
    /// SEQUENCE.
    pub const SEQUENCE: u32 = 16;
    /// SET.
    pub const SET: u32 = 17;
}

/// Why BER could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BerError(pub &'static str);

/// One decoded TLV. For a constructed value, `body` holds the encodings of its children (without
/// the end-of-contents marker of an indefinite length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// Tag class.
    pub class: Class,
    /// Whether the value is constructed.
    pub constructed: bool,
    /// Tag number.
    pub number: u32,
    /// Content octets (primitive) or children encodings (constructed).
    pub body: &'a [u8],
    /// The whole encoding, header included (meaningful as DER only when the input was DER).
    pub raw: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Reads one TLV from the start of `input`; returns it and what follows.
    pub fn read(input: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8]), BerError> {
        read_at(input, 0)
    }

    /// Whether this is the universal type `number`.
    pub fn is(&self, number: u32) -> bool {
        self.class == Class::Universal && self.number == number
    }

    /// Whether this is the context-specific tag `[number]`.
    pub fn is_context(&self, number: u32) -> bool {
        self.class == Class::Context && self.number == number
    }

    /// The children of a constructed value.
    pub fn children(&self) -> Result<Vec<Tlv<'a>>, BerError> {
        if !self.constructed {
            return Err(BerError("expected a constructed value"));
        }
        let mut out = Vec::new();
        let mut rest = self.body;
        while !rest.is_empty() {
            let (child, next) = read_at(rest, 1)?;
            out.push(child);
            rest = next;
        }
        Ok(out)
    }

    /// Content of an OCTET STRING (or implicitly tagged one), joining the segments of a
    /// constructed encoding.
    pub fn octets(&self) -> Result<Vec<u8>, BerError> {
        let mut out = Vec::new();
        self.collect_octets(&mut out, 0)?;
        Ok(out)
    }

    fn collect_octets(&self, out: &mut Vec<u8>, depth: usize) -> Result<(), BerError> {
        if depth > MAX_DEPTH {
            return Err(BerError("octet string segments nested too deeply"));
        }
        if !self.constructed {
            out.extend_from_slice(self.body);
            return Ok(());
        }
        for child in self.children()? {
            child.collect_octets(out, depth.saturating_add(1))?;
        }
        Ok(())
    }
}

fn read_at(input: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8]), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError("nested too deeply"));
    }
    let Header {
        class,
        constructed,
        number,
        header_len,
        len,
    } = Header::read(input)?;
    let rest = input.get(header_len..).ok_or(BerError("bad length"))?;
    let Some(len) = len else {
        // Walk children until the end-of-contents marker.
        let mut cursor = rest;
        loop {
            if let [0, 0, after @ ..] = cursor {
                let body_len = rest.len().saturating_sub(cursor.len());
                let total = header_len.saturating_add(body_len).saturating_add(2);
                let tlv = Tlv {
                    class,
                    constructed,
                    number,
                    body: rest.get(..body_len).ok_or(BerError("bad length"))?,
                    raw: input.get(..total).ok_or(BerError("bad length"))?,
                };
                return Ok((tlv, after));
            }
            let (_, next) = read_at(cursor, depth.saturating_add(1))?;
            cursor = next;
        }
    };
    let body = rest
        .get(..len)
        .ok_or(BerError("value runs past the end of the data"))?;
    let after = rest
        .get(len..)
        .ok_or(BerError("value runs past the end of the data"))?;
    let total = input.len().saturating_sub(after.len());
    let tlv = Tlv {
        class,
        constructed,
        number,
        body,
        raw: input.get(..total).ok_or(BerError("bad length"))?,
    };
    Ok((tlv, after))
}

/// Whether `input` is one complete SEQUENCE, its indefinite lengths nested within the reader's
/// limit, followed by nothing but whitespace or zero padding: checked in linear time before
/// bytes go to OpenSSL's decoders, which take near a second on 1 MiB of nested BER.
pub fn is_one_sequence(input: &[u8]) -> bool {
    matches!(
        Tlv::read(input),
        Ok((value, rest)) if value.is(tag::SEQUENCE)
            && value.constructed
            && rest.iter().all(|b| b.is_ascii_whitespace() || *b == 0)
    )
}

/// Renders OBJECT IDENTIFIER content octets in dotted form (`1.2.840.113549.1.7.3`).
pub fn oid_to_string(body: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut value: u128 = 0;
    for &b in body {
        value = value.checked_shl(7).unwrap_or(0) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(value);
            value = 0;
        }
    }
    let mut parts = Vec::with_capacity(arcs.len().saturating_add(1));
    if let Some((&first, rest)) = arcs.split_first() {
        let (a, b) = match first {
            0..=39 => (0, first),
            40..=79 => (1, first.saturating_sub(40)),
            _ => (2, first.saturating_sub(80)),
        };
        parts.push(a.to_string());
        parts.push(b.to_string());
        parts.extend(rest.iter().map(u128::to_string));
    }
    parts.join(".")
}

/// Renders an X.501 Name (SEQUENCE OF SET OF AttributeTypeAndValue) as `C=DE, O=Acme, CN=x`,
/// in encoding order, with short names for the common attributes.
pub fn name_to_string(name: &Tlv<'_>) -> Result<String, BerError> {
    let mut parts = Vec::new();
    for rdn in name.children()? {
        for atv in rdn.children()? {
            let fields = atv.children()?;
            let (Some(oid), Some(value)) = (fields.first(), fields.get(1)) else {
                return Err(BerError("attribute without a value"));
            };
            let dotted = oid_to_string(oid.body);
            let short = match dotted.as_str() {
                "2.5.4.3" => "CN",
                "2.5.4.6" => "C",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.5" => "serialNumber",
                "1.2.840.113549.1.9.1" => "emailAddress",
                "0.9.2342.19200300.100.1.1" => "UID",
                _ => "",
            };
            let key = if short.is_empty() {
                dotted.as_str()
            } else {
                short
            };
            let text = String::from_utf8_lossy(value.body);
            parts.push(format!("{key}={text}"));
        }
    }
    Ok(parts.join(", "))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite_agree() {
        // SEQUENCE { INTEGER 5, OCTET STRING "ab" } both ways.
        let der = [0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, b'a', b'b'];
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x01, b'a', 0x04, 0x01, b'b', 0, 0, 0,
            0,
        ];
        for input in [&der[..], &ber[..]] {
            let (seq, rest) = Tlv::read(input).expect("valid");
            assert!(rest.is_empty());
            let kids = seq.children().expect("children");
            assert_eq!(kids.len(), 2);
            assert!(kids[0].is(tag::INTEGER));
            assert_eq!(kids[0].body, &[5]);
            assert_eq!(kids[1].octets().expect("octets"), b"ab");
        }
    }

    #[test]
    fn refuses_truncation_and_lies() {
        assert!(Tlv::read(&[]).is_err());
        assert!(Tlv::read(&[0x30]).is_err());
        assert!(Tlv::read(&[0x30, 0x05, 0x02]).is_err());
        assert!(Tlv::read(&[0x30, 0x80, 0x02, 0x01, 0x05]).is_err());
        assert!(Tlv::read(&[0x04, 0x80, 0, 0]).is_err());
        assert!(Tlv::read(&[0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1]).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut input = Vec::new();
        for _ in 0..10_000 {
            input.extend_from_slice(&[0x30, 0x80]);
        }
        assert!(Tlv::read(&input).is_err());
    }

    #[test]
    fn one_sequence_or_not() {
        assert!(is_one_sequence(&[0x30, 0x03, 0x02, 0x01, 0x05]));
        assert!(is_one_sequence(&[
            0x30, 0x80, 0x02, 0x01, 0x05, 0, 0, b'\n'
        ]));
        assert!(!is_one_sequence(&[0x30, 0x03, 0x02, 0x01, 0x05, 0x30]));
        assert!(!is_one_sequence(&[0x02, 0x01, 0x05]));
        assert!(!is_one_sequence(&[0x30, 0x80].repeat(1000)));
    }

    #[test]
    fn oid_rendering() {
        let env = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03];
        assert_eq!(oid_to_string(&env), "1.2.840.113549.1.7.3");
        let aes = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02];
        assert_eq!(oid_to_string(&aes), "2.16.840.1.101.3.4.1.2");
    }
}
