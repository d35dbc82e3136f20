//! One scheduler pass of the team's channels in a 10,000-credential vault with five channels:
//! every credential due at once, its alert recorded and the messages built and queued (one per
//! channel, plus one per client contact), in one transaction. Each iteration starts from a
//! fresh copy of the seeded database (the copy is not timed). The seeded database is kept at
//! `target/bench-data/alerts-10k.db`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::MemoryStore;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{
    ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, ClientAlerting, Confirmation,
    ImportRequest, SmtpSecurity,
};
use tokenkeeper_core::{Portal, Vault};
use zeroize::Zeroizing;

const CLIENTS: usize = 2_500;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).single().unwrap()
}

fn bench_db() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    target.join("bench-data").join("alerts-10k.db")
}

fn channel(
    name: &str,
    kind: ChannelKind,
    clients: Option<Vec<String>>,
) -> (ChannelSpec, ChannelSecret) {
    let email = kind == ChannelKind::Email;
    (
        ChannelSpec {
            name: name.to_owned(),
            kind,
            settings: if email {
                ChannelSettings {
                    host: "smtp.example.com".to_owned(),
                    port: 587,
                    security: SmtpSecurity::Starttls,
                    username: None,
                    from: Some("alerts@msp.example".to_owned()),
                    to: vec!["noc@msp.example".to_owned()],
                    ca_file: None,
                }
            } else {
                ChannelSettings::default()
            },
            clients,
        },
        ChannelSecret {
            url: (!email).then(|| Zeroizing::new("https://hooks.example.com/x/y".to_owned())),
            password: None,
            signing_key: Some(Zeroizing::new("k".to_owned())),
        },
    )
}

/// Seeds (once) 2,500 clients with four Apps and Books tokens each (10,000 credentials,
/// expiries over two years), every tenth client with a contact address, and five channels.
fn seeded() -> PathBuf {
    let path = bench_db();
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let mut v = Vault::new(Db::open(&partial).unwrap(), Box::new(MemoryStore::new()));
    let then = start() - Duration::days(100);
    let yes = Confirmation {
        confirmed: true,
        accept_new_identity: false,
    };
    for i in 0..CLIENTS {
        let name = format!("Client {i:04}");
        v.add_client(&name, Portal::Business, "", then).unwrap();
        if i % 10 == 0 {
            let alerting = ClientAlerting {
                warn_days: Some(60),
                contact_email: Some(format!("it@client{i}.example")),
            };
            v.set_client_alerting(&name, &alerting, then).unwrap();
        }
        for k in 0..4 {
            let expiry = start() + Duration::days(((i * 7 + k * 131) % 760) as i64 - 60);
            let req = ImportRequest {
                client: name.clone(),
                bytes: ContentTokenSpec::new(&format!("Org {i} {k}"), expiry).build(),
                label: Some(format!("Location {k}")),
                ..ImportRequest::default()
            };
            v.import(&req, yes, then).unwrap();
        }
    }
    let some: Vec<String> = (0..CLIENTS / 2).map(|i| format!("Client {i:04}")).collect();
    for (name, kind, clients) in [
        ("Tickets", ChannelKind::Webhook, None),
        ("Teams", ChannelKind::Teams, None),
        ("Slack", ChannelKind::Slack, None),
        ("NOC mail", ChannelKind::Email, None),
        ("Half mail", ChannelKind::Email, Some(some)),
    ] {
        let (spec, secret) = channel(name, kind, clients);
        v.add_channel(&spec, &secret, then).unwrap();
    }
    drop(v);
    std::fs::rename(&partial, &path).unwrap();
    path
}

fn pass(c: &mut Criterion) {
    let seed = seeded();
    let dir = tempfile::tempdir().unwrap();
    // Two years on, every credential has passed a milestone: everything is due.
    let now = start() + Duration::days(730);
    let fresh = || {
        let copy = dir.path().join("pass.db");
        for suffix in ["-wal", "-shm"] {
            let mut p = copy.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        std::fs::copy(&seed, &copy).unwrap();
        Vault::new(Db::open(&copy).unwrap(), Box::new(MemoryStore::new()))
    };
    let mut probe = fresh();
    let report = probe.queue_alerts(now).unwrap();
    assert_eq!(report.alerts as usize, CLIENTS * 4, "everything due");
    eprintln!(
        "one pass: {} alerts in {} messages (5 channels, {} client contacts)",
        report.alerts,
        report.messages,
        CLIENTS / 10
    );
    drop(probe);
    c.bench_function("alerts/queue_pass_10k_5_channels", |b| {
        b.iter_batched(
            fresh,
            |mut v| v.queue_alerts(now).unwrap(),
            BatchSize::PerIteration,
        )
    });
    // The steady state: a pass that finds everything already queued.
    let mut v = fresh();
    v.queue_alerts(now).unwrap();
    c.bench_function("alerts/queue_pass_10k_nothing_new", |b| {
        b.iter(|| v.queue_alerts(now).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = pass
}
criterion_main!(benches);
