//! Races and crashes through the built binary, on a real SQLite file and the real OS keychain:
//! several processes renewing the same credential at once, and imports and restores killed
//! (`kill -9`) at random moments. After each round: the database is sound, the credential is at
//! exactly the old or the new revision with its secret readable, nothing is doubled, and once
//! swept the keychain holds exactly the items the records reference.
//!
//! Rounds are bounded here; `npm run soak` runs the same checks for many more.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use tokenkeeper_core::db::Db;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::{Keychain, STAGING_GRACE, Vault};

mod common;
use common::Env;

/// Rounds per test; `TOKENKEEPER_SOAK_ROUNDS` raises it (the soak script).
fn rounds(default: usize) -> usize {
    std::env::var("TOKENKEEPER_SOAK_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator, seeded from the clock and printed, so a failing round can
/// be replayed with `TOKENKEEPER_SEED`.
struct Rng(u64);

impl Rng {
    fn new(test: &str) -> Self {
        let seed = std::env::var("TOKENKEEPER_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| u64::from(Utc::now().timestamp_subsec_nanos()) | 1);
        eprintln!("{test}: seed {seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn tk(env: &Env, args: &[&str]) -> StdCommand {
    let mut c = StdCommand::new(assert_cmd::cargo::cargo_bin("tokenkeeper"));
    c.arg("--db").arg(env.db()).args(args);
    if let Some(service) = &env.service {
        c.env("TOKENKEEPER_KEYCHAIN_SERVICE", service);
    }
    c.env("TOKENKEEPER_BACKUP_PASSPHRASE", "correct horse battery");
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn run_json(env: &Env, args: &[&str]) -> (serde_json::Value, i32) {
    let out = tk(env, args).output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (v, out.status.code().unwrap_or(-1))
}

fn add_client(env: &Env, name: &str) {
    let out = tk(env, &["client", "add", name]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Imports `file` for `client`, which must succeed.
fn import_ok(env: &Env, file: &Path, client: &str) {
    let (v, code) = run_json(env, &["import", p(file), "--client", client, "--json"]);
    assert_eq!(code, 0, "{v}");
}

fn service(env: &Env) -> String {
    env.service
        .clone()
        .expect("each test has a keychain namespace of its own")
}

/// Every account the keychain holds under the test's service, as Secret Service lists them.
fn keychain_accounts(env: &Env) -> BTreeSet<String> {
    let out = StdCommand::new("secret-tool")
        .args(["search", "--all", "service", &service(env)])
        .output()
        .expect("secret-tool (scripts/with-keychain.sh provides it)");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("attribute.username = "))
        .map(str::to_owned)
        .collect()
}

/// Every account the records reference.
fn referenced(env: &Env) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT key_ref FROM credentials WHERE key_ref IS NOT NULL
             UNION SELECT secret_ref FROM credentials WHERE secret_ref IS NOT NULL
             UNION SELECT key_ref FROM keys",
        )
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The database is sound: SQLite's own checks, and one version row per revision.
fn assert_sound(env: &Env) -> Vec<(String, u32, i64)> {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "foreign keys");
    let mut stmt = conn
        .prepare(
            "SELECT cr.uid, cr.revision, (SELECT count(*) FROM versions v WHERE v.credential_id = cr.id)
             FROM credentials cr",
        )
        .unwrap();
    let rows: Vec<(String, u32, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (uid, revision, versions) in &rows {
        assert_eq!(
            i64::from(*revision),
            *versions,
            "{uid}: revision {revision} but {versions} versions"
        );
    }
    rows
}

/// Sweeps as a later start would (past the grace period), then the keychain holds exactly what
/// the records reference, and every stored secret reads back.
fn assert_no_orphans_after_sweep(env: &Env) {
    let mut vault = Vault::new(
        Db::open(&env.db()).unwrap(),
        Box::new(Keychain::new(service(env))),
    );
    let later = Utc::now() + STAGING_GRACE + Duration::minutes(1);
    let sweep = vault.sweep_secrets(later, STAGING_GRACE).unwrap();
    eprintln!(
        "soak: orphans swept {} (settled journal rows {})",
        sweep.removed.len(),
        sweep.settled
    );
    assert!(
        vault
            .orphaned_secrets(later, STAGING_GRACE)
            .unwrap()
            .is_empty()
    );
    assert!(
        vault.verify_secrets(Utc::now()).unwrap().is_empty(),
        "a secret was lost"
    );
    assert_eq!(
        keychain_accounts(env),
        referenced(env),
        "keychain against records"
    );
}

fn token(env: &Env, name: &str, org: &str, days: i64) -> std::path::PathBuf {
    env.file(
        name,
        &ContentTokenSpec::new(org, Utc::now() + Duration::days(days)).build(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Expiry of the one credential, as stored.
fn expiry(env: &Env) -> String {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.query_row("SELECT expires_at FROM credentials", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn parallel_renewals_of_one_credential_land_once_and_lose_no_secret() {
    let env = Env::other_machine("parallel");
    let first = token(&env, "first.vpptoken", "Main Street School", 100);
    add_client(&env, "Acme");
    import_ok(&env, &first, "Acme");
    let mut conflicts = 0;
    let mut days = 100;
    for round in 0..rounds(5) {
        // Four renewals of the same credential from the same revision, newest last.
        let files: Vec<_> = (0..4)
            .map(|i| {
                days += 10;
                token(
                    &env,
                    &format!("r{round}-{i}.vpptoken"),
                    "Main Street School",
                    days,
                )
            })
            .collect();
        let before = assert_sound(&env)[0].1;
        let children: Vec<Child> = files
            .iter()
            .map(|f| {
                tk(
                    &env,
                    &["import", p(f), "--client", "Acme", "--yes", "--json"],
                )
                .spawn()
                .unwrap()
            })
            .collect();
        let mut landed = 0;
        for child in children {
            let out = child.wait_with_output().unwrap();
            let v: serde_json::Value =
                serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
            if out.status.success() {
                landed += 1;
            } else {
                let kind = v["error"]["kind"].as_str().unwrap_or_default().to_owned();
                assert!(
                    kind == "conflict" || kind == "older_file",
                    "round {round}: {v} {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                if kind == "conflict" {
                    conflicts += 1;
                    let message = v["error"]["message"].as_str().unwrap_or_default();
                    assert!(message.contains("Main Street School"), "{message}");
                    assert!(message.contains("revision"), "{message}");
                }
            }
        }
        let rows = assert_sound(&env);
        assert_eq!(rows.len(), 1, "one credential, never a second");
        assert_eq!(rows[0].1, before + landed, "round {round}: revisions");
        assert!(landed >= 1, "round {round}: one renewal lands");
        // The history never goes back in time: each revision expires no earlier than the last.
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        let mut stmt = conn
            .prepare("SELECT expires_at FROM versions ORDER BY revision")
            .unwrap();
        let expiries: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            expiries.windows(2).all(|w| w[0] <= w[1]),
            "an older file replaced a newer one: {expiries:?}"
        );
        let (v, code) = run_json(&env, &["verify", "--json"]);
        assert_eq!(code, 0, "round {round}: {v}");
    }
    eprintln!("parallel renewals: {conflicts} conflict(s) told");
    assert_no_orphans_after_sweep(&env);
}

/// How long `args` takes when left alone, to spread the kills over its whole run.
fn duration_of(env: &Env, args: &[&str]) -> StdDuration {
    let start = Instant::now();
    let out = tk(env, args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    start.elapsed()
}

/// Starts `args`, kills it with SIGKILL after a random delay between `from` and a little past
/// `span` (so a few finish), and says whether it finished on its own.
fn kill_at_random(
    env: &Env,
    args: &[&str],
    rng: &mut Rng,
    (from, span): (StdDuration, StdDuration),
) -> bool {
    let mut child = tk(env, args).spawn().unwrap();
    let micros = |d: StdDuration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    let (from, to) = (micros(from), micros(span) * 11 / 10);
    let delay = StdDuration::from_micros(from + rng.below(to.saturating_sub(from)));
    let start = Instant::now();
    while start.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(StdDuration::from_micros(200));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    status.success()
}

#[test]
fn killed_imports_leave_the_old_or_the_new_revision_and_no_orphan_once_swept() {
    let env = Env::other_machine("killed-imports");
    let mut rng = Rng::new("killed imports");
    add_client(&env, "Acme");
    let first = token(&env, "first.vpptoken", "Oak Lane", 50);
    import_ok(&env, &first, "Acme");
    let renewal = token(&env, "renewal.vpptoken", "Oak Lane", 55);
    let span = duration_of(&env, &["import", p(&renewal), "--client", "Acme", "--yes"]);
    let mut finished = 0;
    for round in 0..rounds(12) {
        let before = assert_sound(&env)[0].1;
        let before_expiry = expiry(&env);
        let file = token(
            &env,
            &format!("k{round}.vpptoken"),
            "Oak Lane",
            60 + i64::try_from(round).unwrap(),
        );
        let done = kill_at_random(
            &env,
            &["import", p(&file), "--client", "Acme", "--yes", "--json"],
            &mut rng,
            (StdDuration::ZERO, span),
        );
        finished += usize::from(done);
        let rows = assert_sound(&env);
        assert_eq!(rows.len(), 1);
        let after = rows[0].1;
        assert!(
            after == before || after == before + 1,
            "round {round}: revision {before} -> {after}"
        );
        if done {
            assert_eq!(after, before + 1, "round {round}: finished but not saved");
        }
        if after == before {
            assert_eq!(expiry(&env), before_expiry, "round {round}: half a renewal");
        }
        // The current secret is always there; leftovers are journaled, never lost track of.
        let (v, _) = run_json(&env, &["verify", "--repair", "--json"]);
        assert_eq!(v["ok"], true, "round {round}: {v}");
        let keychain = keychain_accounts(&env);
        assert!(
            referenced(&env).is_subset(&keychain),
            "round {round}: a referenced secret is missing"
        );
    }
    eprintln!("killed imports: {finished} finished before the kill");
    assert_no_orphans_after_sweep(&env);
}

#[test]
fn killed_restores_leave_one_whole_vault_and_no_orphan_once_swept() {
    let env = Env::other_machine("killed-restores");
    let mut rng = Rng::new("killed restores");
    // The backup: two clients with a token each.
    for (client, org) in [("Acme", "Acme Org"), ("Globex", "Globex Org")] {
        add_client(&env, client);
        let f = token(&env, &format!("{client}.vpptoken"), org, 40);
        import_ok(&env, &f, client);
    }
    let backup = env.path("vault.tkbackup");
    let out = tk(
        &env,
        &[
            "backup",
            "--out",
            p(&backup),
            "--passphrase-env",
            "TOKENKEEPER_BACKUP_PASSPHRASE",
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The vault moves on: another client, so a restore has something to replace.
    add_client(&env, "Initech");
    let f = token(&env, "initech.vpptoken", "Initech Org", 40);
    import_ok(&env, &f, "Initech");
    let clients = |env: &Env| -> BTreeSet<String> {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        let mut stmt = conn.prepare("SELECT name FROM clients").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let backed_up: BTreeSet<String> = ["Acme", "Globex"].map(str::to_owned).into();
    let restore = [
        "restore",
        p(&backup),
        "--force",
        "--passphrase-env",
        "TOKENKEEPER_BACKUP_PASSPHRASE",
    ];
    let span = duration_of(&env, &restore);
    // Most of a restore is deriving the key from the passphrase, which writes nothing: kills
    // land after it (as long as a wrong passphrase takes to be refused) up to past the end.
    let start = Instant::now();
    let refused = tk(
        &env,
        &[
            "restore",
            p(&backup),
            "--force",
            "--passphrase-env",
            "WRONG",
        ],
    )
    .env("WRONG", "not the passphrase at all")
    .output()
    .unwrap();
    assert!(!refused.status.success());
    let decrypting = start.elapsed() * 9 / 10;
    assert_eq!(clients(&env), backed_up);
    add_client(&env, "Initech");
    import_ok(&env, &f, "Initech");
    let mut restored = 0;
    for round in 0..rounds(8) {
        let done = kill_at_random(&env, &restore, &mut rng, (decrypting, span));
        assert_sound(&env);
        let now = clients(&env);
        assert!(
            now == backed_up || now.contains("Initech"),
            "round {round}: half a restore: {now:?}"
        );
        if done {
            assert_eq!(now, backed_up, "round {round}: finished but not restored");
        }
        if now == backed_up {
            restored += 1;
            // Back to the moved-on vault for the next round.
            if !now.contains("Initech") {
                add_client(&env, "Initech");
                import_ok(&env, &f, "Initech");
            }
        }
        let (v, _) = run_json(&env, &["verify", "--repair", "--json"]);
        assert_eq!(v["ok"], true, "round {round}: {v}");
    }
    eprintln!("killed restores: {restored} completed");
    assert_no_orphans_after_sweep(&env);
}
