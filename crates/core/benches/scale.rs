//! Issue 21's scale, inside the core: 100,000 credentials of 25,000 clients written through
//! the core (`fixture`), and a vault whose 10,000 credentials each have 10 revisions beside one
//! where each has 1.
//!   - the listing with states (what `status --json` and the dashboard's index are built from);
//!   - one scheduler pass as the desktop shell runs it when nothing new is due: reminders due,
//!     the team's channels, the next moment, the tray's overview (without a channel, and with
//!     one to alert, whose candidates are read too);
//!   - one renewal imported into the 100,000-credential vault;
//!   - a dashboard search keystroke over the shell's index.
//!
//! The seeded databases are kept under `$CARGO_TARGET_DIR/bench-data` (seeding 100,000 takes
//! minutes, once).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use chrono::{Duration, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tokenkeeper_core::Vault;
use tokenkeeper_core::dashboard::{DashboardQuery, Tab};
use tokenkeeper_core::overview::Overview;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{
    ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, Confirmation, ImportRequest,
};
use zeroize::Zeroizing;

mod fixture;

use fixture::Size;

const BIG: Size = Size {
    credentials: 100_000,
    revisions: 1,
};
const FLAT: Size = Size {
    credentials: 10_000,
    revisions: 1,
};
const DEEP: Size = Size {
    credentials: 10_000,
    revisions: 10,
};

fn listing(c: &mut Criterion) {
    let vault = fixture::seeded(BIG);
    let now = Utc::now();
    c.bench_function("scale/summaries_100k", |b| {
        b.iter(|| vault.summaries(black_box(now)).unwrap())
    });
    // What `status` and `export` read: the same rows, packed.
    c.bench_function("scale/report_100k", |b| {
        b.iter(|| vault.report(black_box(now)).unwrap())
    });
}

/// The core's share of the desktop scheduler's pass (src-tauri/src/background/scheduler.rs).
fn scheduler_pass(vault: &mut Vault, now: chrono::DateTime<Utc>) -> Overview {
    let reminders = vault.reminder_pass(now).unwrap();
    // As the app's scheduler does once the notification is shown.
    if let Some(n) = &reminders.notification {
        vault.mark_notified(n, now).unwrap();
    }
    vault.queue_alerts(now).unwrap();
    let _next = [
        reminders.next,
        vault.next_scheduled_check(now).unwrap(),
        vault.next_delivery_at().unwrap(),
        vault.next_mdm_sync().unwrap(),
    ]
    .into_iter()
    .flatten()
    .min();
    let failing = vault
        .channels()
        .unwrap()
        .into_iter()
        .filter(|c| c.health.problem)
        .map(|c| c.name)
        .collect();
    reminders.overview.with_failing_channels(failing)
}

fn pass(c: &mut Criterion) {
    let mut vault = fixture::seeded(BIG);
    let now = Utc::now();
    // The first pass records what is due; the ones measured find nothing new.
    scheduler_pass(&mut vault, now);
    c.bench_function("scale/scheduler_pass_100k", |b| {
        b.iter(|| scheduler_pass(&mut vault, black_box(now)))
    });
}

/// The same pass in a team that alerts a channel: the alert candidates are read too. The
/// seeded vault is copied (the channel and its queued alerts stay out of it).
fn pass_with_channel(c: &mut Criterion) {
    drop(fixture::seeded(BIG));
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("channels.db");
    std::fs::copy(fixture::path(BIG), &copy).unwrap();
    let mut vault = Vault::new(
        tokenkeeper_core::db::Db::open(&copy).unwrap(),
        Box::new(tokenkeeper_core::secrets::MemoryStore::new()),
    );
    let now = Utc::now();
    let spec = ChannelSpec {
        name: "Tickets".to_owned(),
        kind: ChannelKind::Webhook,
        settings: ChannelSettings::default(),
        clients: None,
    };
    let secret = ChannelSecret {
        url: Some(Zeroizing::new("https://hooks.example.com/x/y".to_owned())),
        password: None,
        signing_key: Some(Zeroizing::new("k".to_owned())),
    };
    vault.add_channel(&spec, &secret, now).unwrap();
    // The first pass queues what is due; the ones measured find nothing new.
    scheduler_pass(&mut vault, now);
    c.bench_function("scale/scheduler_pass_100k_one_channel", |b| {
        b.iter(|| scheduler_pass(&mut vault, black_box(now)))
    });
}

fn renewal(c: &mut Criterion) {
    let mut vault = fixture::seeded(BIG);
    let now = Utc::now();
    let client = fixture::client_name(BIG, 4242);
    let mut next = now + Duration::days(800);
    let yes = Confirmation {
        confirmed: true,
        accept_new_identity: false,
    };
    c.bench_function("scale/renew_one_in_100k", |b| {
        b.iter_batched(
            || {
                next += Duration::seconds(1);
                ImportRequest {
                    client: client.clone(),
                    bytes: ContentTokenSpec::new("Org 4242", next).build(),
                    label: Some("Main Street".to_owned()),
                    ..Default::default()
                }
            },
            |req| vault.import(&req, yes, now).unwrap(),
            BatchSize::SmallInput,
        )
    });
}

/// The index as the app builds it (straight from the database; `DashboardIndex::new` over a
/// listing serves only vaults whose MDMs hold something), and a keystroke on it.
fn dashboard(c: &mut Criterion) {
    let mut vault = fixture::seeded(BIG);
    let now = Utc::now();
    c.bench_function("scale/dashboard_index_100k", |b| {
        b.iter(|| vault.dashboard_index(now).unwrap())
    });
    let index = vault.dashboard_index(now).unwrap();
    let mut words = [
        "c",
        "cl",
        "client 0",
        "client 042",
        "harbour",
        "com.apple",
        "",
    ]
    .into_iter()
    .cycle();
    c.bench_function("scale/dashboard_keystroke_100k", |b| {
        b.iter(|| {
            index.query(&DashboardQuery {
                tab: Tab::All,
                search: words.next().unwrap_or_default().to_owned(),
                offset: 0,
                limit: 40,
            })
        })
    });
}

fn history(c: &mut Criterion) {
    let now = Utc::now();
    for (size, name) in [(FLAT, "1_revision"), (DEEP, "10_revisions")] {
        let vault = fixture::seeded(size);
        c.bench_function(&format!("history/summaries_10k_{name}"), |b| {
            b.iter(|| vault.summaries(black_box(now)).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = listing, pass, pass_with_channel, renewal, dashboard, history
}
criterion_main!(benches);
