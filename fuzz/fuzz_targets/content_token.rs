//! Apps and Books content tokens, and their `expDate` reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::ContentToken;
use tokenkeeper_core::token::content_token::parse_exp_date;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(ContentToken::parse(data).ok());
    std::hint::black_box(parse_exp_date(&String::from_utf8_lossy(data)));
});
