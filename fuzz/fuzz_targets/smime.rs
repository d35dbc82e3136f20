//! Step 1 of a server token: the S/MIME (or PEM, base64, raw BER) wrapping, then step 2 on
//! whatever it unwrapped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::server_token::{Envelope, unwrap_smime};

fuzz_target!(|data: &[u8]| {
    if let Ok(ber) = unwrap_smime(data) {
        std::hint::black_box(Envelope::parse(&ber).ok());
    }
});
