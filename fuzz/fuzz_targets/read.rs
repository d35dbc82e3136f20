//! Any file: what a drop or `inspect` does (sniff, then the kind's parser, with and without a
//! key), and the private key reader that `--key` uses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::sniff::sniff;
use tokenkeeper_core::{PrivateKey, read};
use tokenkeeper_fuzz::key;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(sniff(data).ok());
    std::hint::black_box(read(data, None).ok());
    std::hint::black_box(read(data, Some(key())).ok());
    std::hint::black_box(PrivateKey::from_bytes(data).ok());
});
