//! ADE server tokens with and without the key they were encrypted to (the seeds are), and the
//! decrypted message reader on its own (the fuzzer cannot forge an RSA envelope to reach it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::ServerToken;
use tokenkeeper_core::token::server_token::parse_message;
use tokenkeeper_fuzz::key;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(ServerToken::parse(data, None).ok());
    std::hint::black_box(ServerToken::parse(data, Some(key())).ok());
    std::hint::black_box(parse_message(data).ok());
});
