//! Property tests: random bytes and mutated valid files, fed to every parser, give a value or a
//! typed error, never a panic.

use std::sync::OnceLock;

use chrono::{Duration, Utc};
use proptest::prelude::*;
use tokenkeeper_core::testing::{
    ContentTokenSpec, Encoding, KeyPair, Layout, PushCertificateSpec, ServerTokenSpec, TestCa,
    abm_certificate, der, pem, random_topic,
};
use tokenkeeper_core::token::server_token::parse_message;
use tokenkeeper_core::token::{ContentToken, PushCertificate, ServerToken};
use tokenkeeper_core::{PrivateKey, read};

fn valid_files() -> &'static Vec<Vec<u8>> {
    static FILES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FILES.get_or_init(|| {
        let key = KeyPair::shared(0);
        let cert = abm_certificate(key, "Fuzz", 77);
        let push = PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), key);
        let mut raw = ServerTokenSpec::new("CK_fuzz", Utc::now() + Duration::days(10));
        raw.layout = Layout::Raw;
        let mut der_token = raw.clone();
        der_token.encoding = Encoding::Definite;
        vec![
            pem(&push),
            der(&push),
            [pem(&push), key.pkcs1_pem()].concat(),
            ServerTokenSpec::new("CK_fuzz", Utc::now()).build(&cert),
            raw.build(&cert),
            der_token.build(&cert),
            ContentTokenSpec::new("Fuzz Org", Utc::now()).build(),
        ]
    })
}

fn key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| KeyPair::shared(0).private_key())
}

/// Every entry point, with and without the key; only the absence of panics is checked.
fn exercise(bytes: &[u8]) {
    let _ = read(bytes, None);
    let _ = read(bytes, Some(key()));
    let _ = PushCertificate::parse(bytes, None);
    let _ = ServerToken::parse(bytes, Some(key()));
    let _ = ContentToken::parse(bytes);
    let _ = PrivateKey::from_bytes(bytes);
    let _ = parse_message(bytes);
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Remove(i, n)),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Truncate(i) => bytes.truncate(i % len),
            Mutation::Flip(i, b) => {
                if let Some(x) = bytes.get_mut(i % len) {
                    *x ^= b | 1;
                }
            }
            Mutation::Insert(i, v) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, v.iter().copied());
            }
            Mutation::Remove(i, n) => {
                let at = (i % len).min(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        exercise(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "(-----BEGIN [A-Z ]{0,20}-----|[A-Za-z0-9+/=:\\-\\r\\n ]){0,200}") {
        exercise(text.as_bytes());
    }

    #[test]
    fn mutated_valid_files_never_panic(
        which in 0usize..7,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let bytes = apply(valid_files()[which].clone(), &mutations);
        exercise(&bytes);
    }
}

/// Inputs that crashed a fuzz target (fuzz/), kept byte for byte with what they broke.
#[test]
fn fuzz_findings_never_panic() {
    // server_token, crash-843a8cd8: the BEGIN and END MESSAGE markers share their dashes, so
    // the END marker started inside the BEGIN one and parse_message sliced backwards.
    let shared_dashes =
        b"Contontent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE---------END MESSAGE-----\n";
    exercise(shared_dashes);
    let err = parse_message(shared_dashes).expect_err("no token inside");
    assert_eq!(err.kind(), "corrupt_file");
}
