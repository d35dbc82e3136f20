//! APNs push certificates: PEM, DER or a bundle with a key, checked against a key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::token::{PushCertificate, Topic};
use tokenkeeper_fuzz::key;

fuzz_target!(|data: &[u8]| {
    std::hint::black_box(PushCertificate::parse(data, None).ok());
    std::hint::black_box(PushCertificate::parse(data, Some(key())).ok());
    std::hint::black_box(Topic::parse(&String::from_utf8_lossy(data)).ok());
});
