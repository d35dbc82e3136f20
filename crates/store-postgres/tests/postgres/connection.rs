//! Connecting: TLS checked against the CA the URL names, what messages and locations show
//! (never the password), a lost connection, and what statements cost.

use tokenkeeper_core::args;
use tokenkeeper_core::db::{Backend, Lock, Sql};
use tokenkeeper_store_postgres::{Postgres, open};

use super::{fresh, password_of, server};

/// `url` with its `sslrootcert` parameter dropped (and `sslmode` set to `mode`).
fn tls_variant(url: &str, mode: &str, keep_ca: bool) -> String {
    let (base, query) = url.split_once('?').expect("a query");
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.starts_with("sslmode=") && (keep_ca || !p.starts_with("sslrootcert=")))
        .map(str::to_owned)
        .collect();
    params.push(format!("sslmode={mode}"));
    format!("{base}?{}", params.join("&"))
}

/// Whether the server sees this connection over TLS.
fn over_tls(pg: &Postgres) -> bool {
    let ssl: String = Sql::new(pg)
        .query_row(
            "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            args![],
            |r| r.get(0),
        )
        .expect("ssl status");
    ssl == "true"
}

#[test]
fn tls_is_verified_against_the_named_ca() {
    let Some(url) = server() else {
        return;
    };
    let password = password_of(&url);
    // verify-full with the CA: the server's certificate names 127.0.0.1.
    let pg = Postgres::connect(&url).expect("verify-full with the CA");
    assert!(over_tls(&pg), "the connection is encrypted");
    assert!(!pg.location().contains(&password), "{}", pg.location());
    assert!(
        pg.location().starts_with("postgres://"),
        "{}",
        pg.location()
    );
    // Without the CA, the system's CAs do not know the test CA.
    for mode in ["verify-full", "verify-ca"] {
        let e = Postgres::connect(&tls_variant(&url, mode, false)).expect_err("unknown CA");
        let text = e.to_string();
        assert!(text.contains("certificate"), "{text}");
        assert!(text.contains("127.0.0.1"), "{text}");
        assert!(!text.contains(&password), "{text}");
    }
    // verify-ca with the CA; require and disable do not check.
    Postgres::connect(&tls_variant(&url, "verify-ca", true)).expect("verify-ca");
    Postgres::connect(&tls_variant(&url, "require", false)).expect("require");
    let plain = Postgres::connect(&tls_variant(&url, "disable", false)).expect("disable");
    let ssl: String = Sql::new(&plain)
        .query_row(
            "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            args![],
            |r| r.get(0),
        )
        .expect("ssl status");
    assert_eq!(ssl, "false");
}

#[test]
fn verify_full_checks_the_host_name_and_binds_the_channel() {
    let Some(url) = server() else {
        return;
    };
    // The same server reached under a name its certificate does not carry.
    let renamed = url
        .replace("@127.0.0.1:", "@tokenkeeper-elsewhere.test:")
        .replace('?', "?hostaddr=127.0.0.1&");
    let text = Postgres::connect(&renamed)
        .expect_err("the certificate names 127.0.0.1 and localhost only")
        .to_string();
    assert!(text.contains("certificate"), "{text}");
    assert!(text.contains("hostname mismatch"), "{text}");
    // verify-ca checks the chain only: the same name passes.
    Postgres::connect(&tls_variant(&renamed, "verify-ca", true)).expect("verify-ca");
    // SCRAM-SHA-256-PLUS: the password exchange bound to the server's certificate
    // (tls-server-end-point), refused by the server if the binding were wrong.
    let bound = format!("{url}&channel_binding=require");
    let pg = Postgres::connect(&bound).expect("channel binding");
    assert!(over_tls(&pg), "the connection is encrypted");
}

#[test]
fn no_message_shows_the_password() {
    let Some(url) = server() else {
        return;
    };
    let password = password_of(&url);
    // A wrong password: the error names the server, not the password given.
    let wrong = url.replace(&password, "wrong-hunter2");
    let e = open(&wrong).expect_err("refused");
    let text = e.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("127.0.0.1"), "{text}");
    assert!(text.contains("password"), "{text}");
    // A server that is not there.
    let port = url
        .split_once("@127.0.0.1:")
        .and_then(|(_, r)| r.split_once('/'))
        .map(|(p, _)| p.to_owned())
        .expect("a port");
    let gone = url.replace(&format!(":{port}/"), ":1/");
    let text = open(&gone).expect_err("nothing listens").to_string();
    assert!(text.contains("127.0.0.1:1"), "{text}");
    assert!(!text.contains(&password), "{text}");
    // A connection the server ended is replaced by a new one, and the statement made there.
    let pg = Postgres::connect(&url).expect("connects");
    let other = Postgres::connect(&url).expect("connects");
    let pid: i32 = Sql::new(&pg)
        .query_row("SELECT pg_backend_pid()", args![], |r| r.get(0))
        .expect("pid");
    Sql::new(&other)
        .query_row("SELECT pg_terminate_backend(?1)", args![pid], |r| {
            r.get::<bool>(0)
        })
        .expect("terminated");
    let again: i32 = Sql::new(&pg)
        .query_row("SELECT pg_backend_pid()", args![], |r| r.get(0))
        .expect("reconnected");
    assert_ne!(again, pid, "a new server process");
    assert!(!format!("{pg:?}").contains(&password));
}

/// Timings on the test server, printed (`--ignored --nocapture`): what a statement costs.
#[test]
#[ignore = "figures, not a check: run with --ignored --nocapture"]
fn figures() {
    use std::time::Instant;
    let Some(url) = fresh("figures") else {
        return;
    };
    let started = Instant::now();
    drop(open(&url).expect("migrates"));
    let migrate = started.elapsed();
    let started = Instant::now();
    let pg = Postgres::connect(&url).expect("connects");
    let connect = started.elapsed();
    let sql = Sql::new(&pg);
    let n = 2000;
    let started = Instant::now();
    for i in 0..n {
        let _: i64 = sql
            .query_row("SELECT ?1 + 1", args![i], |r| r.get(0))
            .expect("select");
    }
    let select = started.elapsed() / n;
    let started = Instant::now();
    for i in 0..n / 4 {
        assert!(pg.begin(Lock::Write).expect("begins"));
        sql.execute(
            "INSERT INTO settings (key, value) VALUES (?1, 'v')",
            args![format!("k{i}")],
        )
        .expect("insert");
        pg.commit().expect("commits");
    }
    let write = started.elapsed() / (n / 4);
    let started = Instant::now();
    for _ in 0..n / 4 {
        assert!(pg.begin(Lock::Read).expect("begins"));
        let _: i64 = sql
            .query_row("SELECT count(*) FROM settings", args![], |r| r.get(0))
            .expect("count");
        pg.commit().expect("ends");
    }
    let read = started.elapsed() / (n / 4);
    println!(
        "fresh database migrated: {migrate:?}; connect (TLS verify-full, SCRAM): {connect:?}; \
         prepared SELECT: {select:?}; write transaction (lock, 1 insert, stamp, NOTIFY, commit): \
         {write:?}; read snapshot (begin, 1 query, commit): {read:?}"
    );
}
