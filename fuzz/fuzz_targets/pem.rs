//! PEM block scanning and the lenient base64 decoder: any text, blocks glued, truncated or
//! nested, must give blocks or nothing, in linear time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::pem;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for block in pem::blocks(&text) {
        std::hint::black_box(block);
    }
    std::hint::black_box(pem::decode_base64(data));
});
