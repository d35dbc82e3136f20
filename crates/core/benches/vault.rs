//! Listing plus state computation over 2,500 clients and 10,000 credentials, inside the core.
//! The seeded database is kept at `$TOKENKEEPER_BENCH_DB` (default
//! `target/bench-data/vault-10k.db`) so `scripts/bench.sh` can time `tokenkeeper status --json`
//! as a whole process on the same data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::MemoryStore;
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, abm_certificate, pem,
    random_topic,
};
use tokenkeeper_core::vault::{Confirmation, ImportRequest};
use tokenkeeper_core::{Portal, Vault};

const CLIENTS: usize = 2_500;

fn bench_db() -> PathBuf {
    std::env::var_os("TOKENKEEPER_BENCH_DB").map_or_else(
        || {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| PathBuf::from("target"), PathBuf::from);
            target.join("bench-data").join("vault-10k.db")
        },
        PathBuf::from,
    )
}

/// Seeds (once) 2,500 clients, each with an APNs certificate, an ADE token and two Apps and
/// Books locations: 10,000 credentials with expiries spread over two years.
fn seeded() -> Vault {
    let path = bench_db();
    let fresh = !path.exists();
    let mut vault = Vault::new(Db::open(&path).unwrap(), Box::new(MemoryStore::default()));
    if !fresh && vault.summaries(Utc::now()).unwrap().len() == CLIENTS * 4 {
        return vault;
    }
    assert!(fresh, "{} holds other data: delete it", path.display());
    let now = Utc::now();
    let ca = TestCa::new();
    let key = KeyPair::shared(0);
    let abm = abm_certificate(key, "Bench MDM", 1);
    let yes = Confirmation {
        confirmed: true,
        accept_new_identity: false,
    };
    for i in 0..CLIENTS {
        let name = format!("Client {i:04}");
        vault.add_client(&name, Portal::Business, "", now).unwrap();
        let spread = |k: usize| now + Duration::days(((i * 7 + k * 131) % 760) as i64 - 60);
        let push = pem(&PushCertificateSpec::new(&random_topic())
            .expiring(spread(0))
            .issue(&ca, key));
        let mut ade = ServerTokenSpec::new(&format!("CK_{i}"), spread(1));
        ade.consumer_secret = format!("CS_{i}");
        let files = [
            (push, None, None),
            (ade.build(&abm), Some("ABM".to_owned()), Some(spread(1))),
            (
                ContentTokenSpec::new(&format!("Org {i}"), spread(2)).build(),
                Some("Main Street".to_owned()),
                None,
            ),
            (
                ContentTokenSpec::new(&format!("Org {i}"), spread(3)).build(),
                Some("Harbour".to_owned()),
                None,
            ),
        ];
        for (bytes, label, expires_at) in files {
            let req = ImportRequest {
                client: name.clone(),
                bytes,
                label,
                expires_at,
                ..Default::default()
            };
            vault.import(&req, yes, now).unwrap();
        }
    }
    vault
}

fn listing(c: &mut Criterion) {
    let vault = seeded();
    let now = Utc::now();
    assert_eq!(vault.summaries(now).unwrap().len(), CLIENTS * 4);
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
