//! `inspect` of each kind, and the floor for a server token: one RSA-2048 private-key operation,
//! measured alone in the same run so the ratio can be reported.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use openssl::rsa::Padding;
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, abm_certificate, pem,
    random_topic,
};
use tokenkeeper_core::{PrivateKey, read};

fn inspect(c: &mut Criterion) {
    let key = KeyPair::shared(0);
    let push = pem(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), key));
    let vpp = ContentTokenSpec::new("Main Street", Utc::now() + Duration::days(300)).build();
    let cert = abm_certificate(key, "Bench", 1);
    let token = ServerTokenSpec::new("CK_bench", Utc::now() + Duration::days(300)).build(&cert);
    let private = key.private_key();
    let key_pem = key.pkcs1_pem();

    c.bench_function("inspect/push_certificate", |b| {
        b.iter(|| read(black_box(&push), None).unwrap())
    });
    c.bench_function("inspect/content_token", |b| {
        b.iter(|| read(black_box(&vpp), None).unwrap())
    });
    c.bench_function("inspect/server_token_without_key", |b| {
        b.iter(|| read(black_box(&token), None).unwrap())
    });
    c.bench_function("inspect/server_token_with_key", |b| {
        b.iter(|| read(black_box(&token), Some(&private)).unwrap())
    });
    c.bench_function("inspect/server_token_with_key_file", |b| {
        b.iter(|| {
            let k = PrivateKey::from_bytes(black_box(&key_pem)).unwrap();
            read(black_box(&token), Some(&k)).unwrap()
        })
    });

    // The floor: one RSA-2048 PKCS#1 v1.5 private-key decryption, nothing else.
    let rsa = key.pkey.rsa().unwrap();
    let mut ciphertext = vec![0u8; 256];
    rsa.public_encrypt(&[7u8; 16], &mut ciphertext, Padding::PKCS1)
        .unwrap();
    let mut out = vec![0u8; 256];
    c.bench_function("floor/rsa2048_private_decrypt", |b| {
        b.iter(|| {
            rsa.private_decrypt(black_box(&ciphertext), &mut out, Padding::PKCS1)
                .unwrap()
        })
    });
    // The same with a key freshly loaded from DER, as `inspect --key` must do: OpenSSL builds its
    // Montgomery and blinding contexts on a key's first private operation.
    let key_der = key.pkcs1_der();
    c.bench_function("floor/rsa2048_load_and_private_decrypt", |b| {
        b.iter(|| {
            let rsa = openssl::rsa::Rsa::private_key_from_der(black_box(&key_der)).unwrap();
            rsa.private_decrypt(black_box(&ciphertext), &mut out, Padding::PKCS1)
                .unwrap()
        })
    });
}

criterion_group!(benches, inspect);
criterion_main!(benches);
