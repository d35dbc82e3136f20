//! Readies the team benchmark (scripts/bench-team.sh): moves the 10,000-credential bench vault
//! into a fresh database on the test server as `team init` does, with this keychain's team key,
//! so `tokenkeeper --db URL status --json` runs as a whole process beside the SQLite file; then
//! measures how long a change committed by one connection takes to be heard by another.
//!
//! Usage: team_bench ADMIN_URL SQLITE_VAULT. Prints the team database's URL on stdout, figures
//! on stderr. The bench vault was seeded with an in-memory secret store: each secret it names is
//! given placeholder bytes here (what status reads does not depend on them).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::{Keychain, MemoryStore, SecretStore};
use tokenkeeper_core::team::{self, MemberKey, TeamSecrets};
use tokenkeeper_core::{Portal, Vault};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(admin), Some(source)) = (args.next(), args.next()) else {
        return Err("usage: team_bench ADMIN_URL SQLITE_VAULT".into());
    };
    let url = tokenkeeper_store_postgres::testing::fresh_database(&admin, "bench")?;
    let source = Db::open(std::path::Path::new(&source))?;
    let placeholders = MemoryStore::new();
    for account in source.sql().query_map(
        "SELECT secret_ref FROM credentials WHERE secret_ref IS NOT NULL
         UNION SELECT key_ref FROM credentials WHERE key_ref IS NOT NULL
         UNION SELECT key_ref FROM keys UNION SELECT secret_ref FROM channels
         UNION SELECT secret_ref FROM mdm_connections",
        tokenkeeper_core::args![],
        |r| r.get::<String>(0),
    )? {
        placeholders.put(&account, b"placeholder secret of the bench vault")?;
    }

    let mut target = tokenkeeper_store_postgres::open(&url)?;
    let keychain = Keychain::new(Keychain::default_service());
    let key = tokenkeeper_store_postgres::member_key_or_new(&target, &keychain)?;
    let recipient = key.recipient();
    team::start(&mut target, "Bench", &key, Utc::now())?;
    let shared = TeamSecrets::open(
        tokenkeeper_store_postgres::open(&url)?,
        MemberKey::from_secret(&key.to_secret())?,
    )?;
    let started = Instant::now();
    let report = team::copy_vault(&source, &placeholders, &mut target, &shared)?;
    eprintln!(
        "team init of the bench vault: {} credentials, {} events, {} secrets encrypted in {:.1} s (member key {})",
        report.credentials,
        report.events,
        report.secrets,
        started.elapsed().as_secs_f64(),
        team::fingerprint(&recipient)
    );

    // A change on one desktop, heard on another: 50 commits, each waited for.
    let (heard, changes) = mpsc::channel();
    let (link, links) = mpsc::channel();
    tokenkeeper_store_postgres::listen(
        &url,
        move || {
            let _ = heard.send(Instant::now());
        },
        move |up| {
            let _ = link.send(up);
        },
    )?;
    while !links.recv_timeout(Duration::from_secs(30))? {}
    let mut vault = Vault::new(tokenkeeper_store_postgres::open(&url)?, Box::new(shared));
    let mut delays = Vec::new();
    for i in 0..50 {
        let at = Instant::now();
        vault.add_client(
            &format!("Bench listener {i}"),
            Portal::Business,
            "",
            Utc::now(),
        )?;
        let seen = changes.recv_timeout(Duration::from_secs(10))?;
        delays.push(seen.saturating_duration_since(at));
    }
    for i in 0..50 {
        vault.remove_client(&format!("Bench listener {i}"), Utc::now())?;
    }
    delays.sort();
    eprintln!(
        "a change on one desktop heard on another (commit included): median {:.1} ms, p90 {:.1} ms, max {:.1} ms over 50",
        delays[25].as_secs_f64() * 1e3,
        delays[45].as_secs_f64() * 1e3,
        delays[49].as_secs_f64() * 1e3
    );
    // The copy a desktop keeps of the team vault (last known state; what a report reads when
    // the server changed nothing since), taken after the changes above.
    let mut taken = Vec::new();
    for _ in 0..5 {
        let at = Instant::now();
        vault.save_local_copy(Utc::now())?;
        taken.push(at.elapsed());
    }
    taken.sort();
    eprintln!(
        "the local copy of the team vault taken in {:.0} ms (median of 5, min {:.0} ms)",
        taken[2].as_secs_f64() * 1e3,
        taken[0].as_secs_f64() * 1e3
    );
    println!("{url}");
    Ok(())
}
