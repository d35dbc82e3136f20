//! The identifier and length octets of a BER value, read on their own: the reader's first step,
//! and how sniffing names a file that is cut short after its first headers.
#![deny(clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use super::{BerError, Class};

/// The identifier and length octets of one TLV, read without its content: enough to tell what a
/// value is even when the data is cut short after its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Tag class.
    pub class: Class,
    /// Whether the value is constructed.
    pub constructed: bool,
    /// Tag number.
    pub number: u32,
    /// Length of the identifier and length octets.
    pub header_len: usize,
    /// The content length, `None` for an indefinite length.
    pub len: Option<usize>,
}

impl Header {
    /// Reads the header at the start of `input`.
    ///
    /// # Errors
    /// When `input` ends inside the header, or the length is absurd.
    pub fn read(input: &[u8]) -> Result<Header, BerError> {
        let (&first, mut rest) = input
            .split_first()
            .ok_or(BerError("unexpected end of data"))?;
        let class = match first >> 6 {
            0 => Class::Universal,
            1 => Class::Application,
            2 => Class::Context,
            _ => Class::Private,
        };
        let constructed = first & 0x20 != 0;
        let mut number = u32::from(first & 0x1f);
        if number == 0x1f {
            number = 0;
            loop {
                let (&b, r) = rest.split_first().ok_or(BerError("truncated tag"))?;
                rest = r;
                if number > (u32::MAX >> 7) {
                    return Err(BerError("tag number too large"));
                }
                number = (number << 7) | u32::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        let (&len_byte, r) = rest.split_first().ok_or(BerError("truncated length"))?;
        rest = r;
        let len = if len_byte == 0x80 {
            if !constructed {
                return Err(BerError("indefinite length on a primitive value"));
            }
            None
        } else if len_byte & 0x80 == 0 {
            Some(usize::from(len_byte))
        } else {
            let count = usize::from(len_byte & 0x7f);
            if count > 4 {
                return Err(BerError("length too large"));
            }
            let bytes = rest.get(..count).ok_or(BerError("truncated length"))?;
            rest = rest.get(count..).ok_or(BerError("truncated length"))?;
            Some(
                bytes
                    .iter()
                    .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
            )
        };
        Ok(Header {
            class,
            constructed,
            number,
            header_len: input.len().saturating_sub(rest.len()),
            len,
        })
    }

    /// Whether this is the universal type `number`.
    pub fn is(&self, number: u32) -> bool {
        self.class == Class::Universal && self.number == number
    }
}
