//! "A 1 MiB file of any shape is refused or read in under 50 ms": `read` (sniff + the kind's
//! parser, with a key), the private key reader (`--key`) and the PKCS#12 check over the slowest
//! shapes known, and the five slowest entries of the fuzzers' corpora when
//! `TOKENKEEPER_FUZZ_CORPUS` names their folders (`fuzz/target/corpus/read:...`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tokenkeeper_core::error::MAX_FILE_SIZE;
use tokenkeeper_core::pki::pkcs12;
use tokenkeeper_core::{PrivateKey, read};

/// Repeats `unit` to fill 1 MiB exactly.
fn fill(unit: &[u8]) -> Vec<u8> {
    unit.iter().copied().cycle().take(MAX_FILE_SIZE).collect()
}

/// Deterministic noise (xorshift), so every run reads the same bytes.
fn noise(mut state: u64) -> Vec<u8> {
    (0..MAX_FILE_SIZE)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// `SEQUENCE` nested with indefinite lengths to fill the file: the BER reader stops at its depth
/// limit, then sniffing looks at the headers of what it could not read.
fn nested_ber() -> Vec<u8> {
    fill(&[0x30, 0x80])
}

/// CMS-like nesting that stays inside the depth limit, repeated: many shallow values.
fn wide_ber() -> Vec<u8> {
    let mut out = vec![0x30, 0x80];
    while out.len() < MAX_FILE_SIZE - 64 {
        out.extend_from_slice(&[0x30, 0x80, 0x04, 0x01, 0x00, 0x00, 0x00]);
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// `SEQUENCE` nested with definite lengths, 174,000 levels deep.
fn nested_definite_ber() -> Vec<u8> {
    let levels = MAX_FILE_SIZE / 6;
    let mut out = Vec::with_capacity(MAX_FILE_SIZE);
    for level in 0..levels {
        let inside = u32::try_from(6 * (levels - 1 - level)).unwrap();
        out.extend_from_slice(&[0x30, 0x84]);
        out.extend_from_slice(&inside.to_be_bytes());
    }
    out
}

/// One tiny certificate block, then private key blocks to the end of the file: a push
/// certificate parser looks for a bundled key in every one of them.
fn certificate_and_key_blocks() -> Vec<u8> {
    let cert = b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    let keys = fill(b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n");
    [&cert[..], &keys[cert.len()..]].concat()
}

fn shapes() -> Vec<(String, Vec<u8>)> {
    let mut shapes = vec![
        (
            "unterminated_begin_lines".to_owned(),
            fill(b"-----BEGIN CERTIFICATE-----\n"),
        ),
        ("begin_markers_glued".to_owned(), fill(b"-----BEGIN ")),
        ("dashes".to_owned(), fill(b"-")),
        ("nested_indefinite_ber".to_owned(), nested_ber()),
        ("wide_indefinite_ber".to_owned(), wide_ber()),
        ("nested_definite_ber".to_owned(), nested_definite_ber()),
        ("random_bytes".to_owned(), noise(0x9e37_79b9_7f4a_7c15)),
        ("one_base64_line".to_owned(), fill(b"QUJD")),
        (
            "base64_json_object".to_owned(),
            // `{"token":` then a string that never ends.
            [&b"eyJ0b2tlbiI6IkFB"[..], &fill(b"QUFB")[16..]].concat(),
        ),
        ("mime_headers".to_owned(), fill(b"Content-Type: x\n")),
        (
            "certificate_and_many_key_blocks".to_owned(),
            certificate_and_key_blocks(),
        ),
        ("json_keys".to_owned(), fill(b"{\"a\":1,")),
    ];
    if let Ok(dirs) = std::env::var("TOKENKEEPER_FUZZ_CORPUS") {
        shapes.extend(slowest_in_corpus(&dirs, 5));
    }
    shapes
}

/// Everything a fuzzing corpus holds (folders separated by `:`), each timed through the same
/// three readers at its slowest of three runs; the `count` slowest become benchmarks.
fn slowest_in_corpus(dirs: &str, count: usize) -> Vec<(String, Vec<u8>)> {
    let key =
        PrivateKey::from_bytes(&tokenkeeper_core::testing::KeyPair::shared(0).pkcs1_pem()).unwrap();
    let mut timed: Vec<(Duration, String, Vec<u8>)> = Vec::new();
    for dir in dirs.split(':').filter(|d| !d.is_empty()) {
        for entry in std::fs::read_dir(dir).expect("a corpus folder").flatten() {
            let Ok(bytes) = std::fs::read(entry.path()) else {
                continue;
            };
            let slowest = (0..3)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let _ = black_box(read(&bytes, Some(&key)));
                    let _ = black_box(PrivateKey::from_bytes(&bytes));
                    black_box(pkcs12::is_pkcs12(&bytes));
                    start.elapsed()
                })
                .max()
                .unwrap_or_default();
            let name = format!("fuzz/{}", entry.path().display());
            timed.push((slowest, name, bytes));
        }
    }
    timed.sort_by_key(|t| std::cmp::Reverse(t.0));
    println!("corpus: {} files timed; slowest:", timed.len());
    for (time, name, bytes) in timed.iter().take(count) {
        println!("  {time:?} {name} ({} bytes)", bytes.len());
    }
    timed
        .into_iter()
        .take(count)
        .map(|(_, name, bytes)| (name, bytes))
        .collect()
}

fn hostile(c: &mut Criterion) {
    let key =
        PrivateKey::from_bytes(&tokenkeeper_core::testing::KeyPair::shared(0).pkcs1_pem()).unwrap();
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for (name, bytes) in shapes() {
        group.bench_function(&name, |b| {
            b.iter(|| {
                let _ = black_box(read(black_box(&bytes), Some(&key)));
            })
        });
        group.bench_function(format!("{name}/key_reader"), |b| {
            b.iter(|| black_box(PrivateKey::from_bytes(black_box(&bytes)).is_ok()))
        });
        group.bench_function(format!("{name}/pkcs12_check"), |b| {
            b.iter(|| black_box(pkcs12::is_pkcs12(black_box(&bytes))))
        });
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
