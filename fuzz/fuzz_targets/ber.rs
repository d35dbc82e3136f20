//! The BER reader: every TLV of the input walked (children, joined octets, names, OIDs), then
//! read as CMS EnvelopedData, as a server token's body is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::ber::{Tlv, name_to_string, oid_to_string};
use tokenkeeper_core::token::server_token::Envelope;

/// Deeper than the reader accepts, so its own limit is what stops the walk.
const MAX_WALK: usize = 40;

fn walk(tlv: &Tlv<'_>, depth: usize) {
    if depth > MAX_WALK {
        return;
    }
    std::hint::black_box(tlv.octets().ok());
    std::hint::black_box(name_to_string(tlv).ok());
    std::hint::black_box(oid_to_string(tlv.body));
    if let Ok(children) = tlv.children() {
        for child in &children {
            walk(child, depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    while let Ok((tlv, next)) = Tlv::read(rest) {
        walk(&tlv, 0);
        if next.len() >= rest.len() {
            break;
        }
        rest = next;
    }
    std::hint::black_box(Envelope::parse(data).ok());
});
