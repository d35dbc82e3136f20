//! Listing plus state computation over 2,500 clients and 10,000 credentials, inside the core.
//! The seeded database is kept at `$TOKENKEEPER_BENCH_DB` (default
//! `target/bench-data/vault-10k.db`) so `scripts/bench.sh` can time `tokenkeeper status --json`
//! as a whole process on the same data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use tokenkeeper_core::Vault;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{Confirmation, ImportRequest};

mod fixture;

use fixture::Size;

const SIZE: Size = Size {
    credentials: 10_000,
    revisions: 1,
};

fn seeded() -> Vault {
    fixture::seeded(SIZE)
}

fn listing(c: &mut Criterion) {
    let vault = seeded();
    let now = Utc::now();
    assert_eq!(vault.summaries(now).unwrap().len(), SIZE.credentials);
    c.bench_function("vault/summaries_10k", |b| {
        b.iter(|| vault.summaries(black_box(now)).unwrap())
    });
}

/// One renewal in the 10,000-credential vault, as a technician saves it: read and decide on a
/// snapshot, stage the secret (journaled), write with the revision guard, retire the old one.
fn renewal(c: &mut Criterion) {
    let mut vault = seeded();
    let now = Utc::now();
    let current = vault
        .summaries(now)
        .unwrap()
        .into_iter()
        .find(|s| s.client == "Client 0042" && s.label == "Main Street")
        .and_then(|s| s.expires_at)
        .unwrap();
    let mut next = current;
    let yes = Confirmation {
        confirmed: true,
        accept_new_identity: false,
    };
    c.bench_function("vault/renew_one_in_10k", |b| {
        b.iter_batched(
            || {
                next += Duration::seconds(1);
                ImportRequest {
                    client: "Client 0042".to_owned(),
                    bytes: ContentTokenSpec::new("Org 42", next).build(),
                    label: Some("Main Street".to_owned()),
                    ..Default::default()
                }
            },
            |req| vault.import(&req, yes, now).unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = listing, renewal
}
criterion_main!(benches);
