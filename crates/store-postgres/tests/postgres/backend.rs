//! The backend alone: parameters, values, collations, SQLite's functions, transactions and
//! their locks, migrations, TLS, and what messages show.

use tokenkeeper_core::args;
use tokenkeeper_core::db::{Backend, Cell, FailureKind, Lock, MIGRATION_COUNT, Sql};
use tokenkeeper_store_postgres::{Postgres, open};

use super::{fresh, password_of, server};

/// A migrated database and a raw connection to it.
fn connection(hint: &str) -> Option<(String, Postgres)> {
    let url = fresh(hint)?;
    drop(open(&url).expect("opens and migrates"));
    let pg = Postgres::connect(&url).expect("connects");
    Some((url, pg))
}

#[test]
fn placeholders_outside_literals_become_parameters() {
    let Some((_, pg)) = connection("placeholders") else {
        return;
    };
    let sql = Sql::new(&pg);
    let (lit, quoted, param): (String, String, String) = sql
        .query_row(
            "SELECT '?1' AS \"x?2\", 'it''s ?1' /* ?1 */, ?1 -- ?2\n",
            args!["bound"],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("runs");
    assert_eq!(
        (lit.as_str(), quoted.as_str(), param.as_str()),
        ("?1", "it's ?1", "bound")
    );
    // The same SQL again comes from the statement cache.
    let again: String = sql
        .query_row(
            "SELECT '?1' AS \"x?2\", 'it''s ?1' /* ?1 */, ?1 -- ?2\n",
            args!["again"],
            |r| r.get(2),
        )
        .expect("runs");
    assert_eq!(again, "again");
}

#[test]
fn every_cell_type_round_trips() {
    let Some((_, pg)) = connection("cells") else {
        return;
    };
    let sql = Sql::new(&pg);
    sql.execute_batch(
        "CREATE TABLE t (i8 BIGINT, i4 INTEGER, i2 SMALLINT, b BOOLEAN, f8 DOUBLE PRECISION,
                         f4 REAL, t TEXT, v VARCHAR(20), c CHAR(3), by BYTEA, n NUMERIC)",
    )
    .expect("table");
    let bytes = [0u8, 1, 2, 255];
    sql.execute(
        "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL)",
        args![
            i64::MAX,
            -7i64,
            300i64,
            true,
            2.5f64,
            0.5f64,
            "text é",
            "varchar",
            "abc",
            &bytes[..]
        ],
    )
    .expect("insert");
    sql.execute(
        "INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1.5)",
        args![],
    )
    .expect("insert nulls");
    let rows = sql
        .query_map("SELECT * FROM t ORDER BY n NULLS FIRST", args![], |r| {
            (0..10)
                .map(|i| r.get_ref(i).map(|c| format!("{c:?}")))
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("reads");
    assert_eq!(
        rows[0],
        [
            format!("{:?}", Cell::Int(i64::MAX)),
            format!("{:?}", Cell::Int(-7)),
            format!("{:?}", Cell::Int(300)),
            format!("{:?}", Cell::Int(1)),
            format!("{:?}", Cell::Real(2.5)),
            format!("{:?}", Cell::Real(0.5)),
            format!("{:?}", Cell::Text("text é")),
            format!("{:?}", Cell::Text("varchar")),
            format!("{:?}", Cell::Text("abc")),
            format!("{:?}", Cell::Blob(&bytes)),
        ]
    );
    assert!(rows[1].iter().all(|c| c == "Null"), "{:?}", rows[1]);
    // NUMERIC is refused by name, not misread.
    let e = sql
        .query_row("SELECT n FROM t WHERE n IS NOT NULL", args![], |r| {
            r.get::<f64>(0)
        })
        .expect_err("numeric refused");
    assert_eq!(e.kind, FailureKind::Type);
    assert!(e.detail.contains("numeric"), "{e}");
    // A value that does not fit its parameter's type: an error naming the types, not the value.
    let e = sql
        .execute("INSERT INTO t (i8) VALUES (?1)", args!["secret-value"])
        .expect_err("text into bigint refused");
    assert_eq!(e.kind, FailureKind::Type, "{e}");
    assert!(e.detail.contains("int8"), "{e}");
    assert!(!e.detail.contains("secret-value"), "{e}");
    let e = sql
        .execute("INSERT INTO t (i2) VALUES (?1)", args![70_000i64])
        .expect_err("out of range");
    assert_eq!(e.kind, FailureKind::Type, "{e}");
    let e = sql
        .execute("INSERT INTO t (b) VALUES (?1)", args![2i64])
        .expect_err("not a boolean");
    assert_eq!(e.kind, FailureKind::Type, "{e}");
}

#[test]
fn nocase_names_are_unique_and_sorted_without_case() {
    let Some((_, pg)) = connection("nocase") else {
        return;
    };
    let sql = Sql::new(&pg);
    let add = |name: &str| {
        sql.execute(
            "INSERT INTO clients (uid, name, portal, created_at) VALUES (?1, ?2, 'business', '2026-01-01T00:00:00Z')",
            args![format!("uid-{name}"), name],
        )
    };
    for name in ["beta", "Alpha", "gamma", "ALPHA2"] {
        add(name).expect("added");
    }
    let e = add("ACME")
        .and_then(|_| add("acme"))
        .expect_err("duplicate");
    assert_eq!(e.kind, FailureKind::Constraint, "{e}");
    assert!(e.is_constraint());
    let names = sql
        .query_map(
            "SELECT name FROM clients ORDER BY name COLLATE NOCASE",
            args![],
            |r| r.get::<String>(0),
        )
        .expect("sorted");
    assert_eq!(names, ["ACME", "Alpha", "ALPHA2", "beta", "gamma"]);
    let found: String = sql
        .query_row(
            "SELECT uid FROM clients WHERE name = ?1 COLLATE NOCASE",
            args!["BETA"],
            |r| r.get(0),
        )
        .expect("found without case");
    assert_eq!(found, "uid-beta");
    // Plain comparisons stay byte-wise, as on SQLite.
    let n: i64 = sql
        .query_row(
            "SELECT count(*) FROM clients WHERE name = ?1",
            args!["BETA"],
            |r| r.get(0),
        )
        .expect("counted");
    assert_eq!(n, 0);
}

#[test]
fn sqlite_functions_exist() {
    let Some((_, pg)) = connection("functions") else {
        return;
    };
    let sql = Sql::new(&pg);
    let row: (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = sql
        .query_row(
            "SELECT (SELECT group_concat(v, ' ') FROM (VALUES ('a'), (NULL), ('b')) x(v)),
                    (SELECT group_concat(v) FROM (VALUES ('a'), ('b')) x(v)),
                    (SELECT group_concat(v) FROM (VALUES (1::bigint), (NULL), (22)) x(v)),
                    (SELECT group_concat(v) FROM (VALUES (NULL::text)) x(v))",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("group_concat");
    assert_eq!(
        row,
        (
            Some("a b".to_owned()),
            Some("a,b".to_owned()),
            Some("1,22".to_owned()),
            None
        )
    );
    let doc =
        r#"{"push_certificate": {"serial": "0a1b", "n": 3, "list": ["x", "y"], "nil": null}}"#;
    let got = sql
        .query_row(
            "SELECT json_extract(?1, '$.push_certificate.serial'),
                    json_extract(?1, '$.push_certificate.n'),
                    json_extract(?1, '$.push_certificate.list[1]'),
                    json_extract(?1, '$.push_certificate.nil'),
                    json_extract(?1, '$.absent.x')",
            args![doc],
            |r| {
                Ok((
                    r.get::<Option<String>>(0)?,
                    r.get::<Option<String>>(1)?,
                    r.get::<Option<String>>(2)?,
                    r.get::<Option<String>>(3)?,
                    r.get::<Option<String>>(4)?,
                ))
            },
        )
        .expect("json_extract");
    assert_eq!(
        got,
        (
            Some("0a1b".to_owned()),
            Some("3".to_owned()),
            Some("y".to_owned()),
            None,
            None
        )
    );
}

#[test]
fn json_each_reads_arrays_and_objects_as_text() {
    let Some((_, pg)) = connection("json_each") else {
        return;
    };
    let sql = Sql::new(&pg);
    let values = sql
        .query_map(
            "SELECT value FROM json_each(?1)",
            args![r#"["a", "b c", 3]"#],
            |r| r.get::<String>(0),
        )
        .expect("array");
    assert_eq!(values, ["a", "b c", "3"]);
    let n: i64 = sql
        .query_row(
            "SELECT count(*) FROM (VALUES ('b c'), ('z')) t(x) WHERE x IN (SELECT value FROM json_each(?1))",
            args![r#"["a", "b c"]"#],
            |r| r.get(0),
        )
        .expect("in");
    assert_eq!(n, 1);
    let pairs = sql
        .query_map(
            "SELECT key, value FROM json_each(?1) ORDER BY key",
            args![r#"{"k": "v", "n": 1}"#],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )
        .expect("object");
    assert_eq!(
        pairs,
        [
            ("k".to_owned(), "v".to_owned()),
            ("n".to_owned(), "1".to_owned())
        ]
    );
}

#[test]
fn the_event_log_is_append_only_and_kept() {
    let Some((_, pg)) = connection("events") else {
        return;
    };
    let sql = Sql::new(&pg);
    let insert = "INSERT INTO events (at, kind, message) VALUES (?1, 'test', 'm')";
    sql.execute(insert, args!["2000-01-01T00:00:00Z"])
        .expect("old event");
    sql.execute(insert, args!["2999-01-01T00:00:00Z"])
        .expect("new event");
    let e = sql
        .execute("UPDATE events SET message = 'changed'", args![])
        .expect_err("append-only");
    assert_eq!(e.kind, FailureKind::Constraint, "{e}");
    assert!(e.detail.contains("append-only"), "{e}");
    let e = sql
        .execute("DELETE FROM events WHERE at > '2500'", args![])
        .expect_err("kept 90 days");
    assert!(e.detail.contains("90 days"), "{e}");
    let n = sql
        .execute("DELETE FROM events WHERE at < '2500'", args![])
        .expect("an old event goes");
    assert_eq!(n, 1);
}

#[test]
fn a_rolled_back_write_leaves_nothing_and_a_commit_moves_the_stamp() {
    let Some((_, pg)) = connection("rollback") else {
        return;
    };
    let sql = Sql::new(&pg);
    let before = pg.change_stamp().expect("stamp");
    assert!(pg.begin(Lock::Write).expect("begins"));
    sql.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)",
        args!["k", "v"],
    )
    .expect("insert");
    pg.rollback().expect("rolls back");
    let n: i64 = sql
        .query_row("SELECT count(*) FROM settings", args![], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 0);
    assert_eq!(pg.change_stamp().expect("stamp"), before);
    // Rolling back with nothing open is harmless (the core's guard does it after a commit).
    pg.rollback().expect("nothing to roll back");

    assert!(pg.begin(Lock::Write).expect("begins"));
    sql.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) RETURNING key",
        args!["k", "v"],
    )
    .expect("insert");
    pg.commit().expect("commits");
    assert_eq!(pg.change_stamp().expect("stamp").0, before.0 + 1);

    // A failed statement inside a transaction: the commit fails and nothing stays.
    assert!(pg.begin(Lock::Write).expect("begins"));
    sql.execute(
        "INSERT INTO settings (key, value) VALUES ('k2', 'v')",
        args![],
    )
    .expect("insert");
    sql.execute(
        "INSERT INTO settings (key, value) VALUES ('k', 'dup')",
        args![],
    )
    .expect_err("duplicate key");
    pg.commit()
        .expect_err("an aborted transaction does not commit");
    let n: i64 = sql
        .query_row("SELECT count(*) FROM settings", args![], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
}

#[test]
fn try_write_gives_way_to_a_writer_and_readers_see_a_snapshot() {
    let Some((url, a)) = connection("trywrite") else {
        return;
    };
    let b = Postgres::connect(&url).expect("second connection");
    assert!(a.begin(Lock::Write).expect("a writes"));
    assert!(!b.begin(Lock::TryWrite).expect("b is refused, no error"));
    // b is not left in a transaction: its statements run on their own.
    assert!(b.begin(Lock::Read).expect("b reads"));
    Sql::new(&a)
        .execute(
            "INSERT INTO settings (key, value) VALUES ('x', '1')",
            args![],
        )
        .expect("a inserts");
    a.commit().expect("a commits");
    // b's snapshot started before a's commit... but took it at its first statement.
    let n: i64 = Sql::new(&b)
        .query_row("SELECT count(*) FROM settings", args![], |r| r.get(0))
        .expect("count");
    Sql::new(&a)
        .execute(
            "INSERT INTO settings (key, value) VALUES ('y', '1')",
            args![],
        )
        .expect("a inserts outside a transaction");
    let m: i64 = Sql::new(&b)
        .query_row("SELECT count(*) FROM settings", args![], |r| r.get(0))
        .expect("count");
    assert_eq!(n, m, "a read transaction sees one snapshot");
    b.commit().expect("b ends its read");
    assert!(b.begin(Lock::TryWrite).expect("free now"));
    b.commit().expect("b commits");
}

#[test]
fn writers_queue() {
    let Some((url, a)) = connection("queue") else {
        return;
    };
    let b = Postgres::connect(&url).expect("second connection");
    assert!(a.begin(Lock::Write).expect("a writes"));
    let waiter = std::thread::spawn(move || {
        assert!(b.begin(Lock::Write).expect("b waits, then writes"));
        let got_lock = std::time::Instant::now();
        let seen: i64 = Sql::new(&b)
            .query_row("SELECT count(*) FROM settings", args![], |r| r.get(0))
            .expect("count");
        b.commit().expect("b commits");
        (got_lock, seen)
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    Sql::new(&a)
        .execute(
            "INSERT INTO settings (key, value) VALUES ('x', '1')",
            args![],
        )
        .expect("a inserts");
    let committing = std::time::Instant::now();
    a.commit().expect("a commits");
    let (got_lock, seen) = waiter.join().expect("b finished");
    assert!(got_lock >= committing, "b wrote while a held the lock");
    assert_eq!(seen, 1, "the second writer sees the first one's work");
}

#[test]
fn a_statement_prepared_before_another_process_changed_its_table_runs_again() {
    let Some((url, a)) = connection("stale") else {
        return;
    };
    let sql = Sql::new(&a);
    sql.execute_batch("CREATE TABLE t (x BIGINT); INSERT INTO t VALUES (1)")
        .expect("table");
    let read = |sql: &Sql<'_>| sql.query_map("SELECT * FROM t", args![], |r| r.get::<i64>(0));
    assert_eq!(read(&sql).expect("first"), [1]);
    let b = Postgres::connect(&url).expect("second connection");
    Sql::new(&b)
        .execute_batch("ALTER TABLE t ADD COLUMN y TEXT")
        .expect("altered");
    assert_eq!(read(&sql).expect("prepared again"), [1]);
}

#[test]
fn several_processes_opening_a_new_database_migrate_it_once() {
    let Some(url) = fresh("race") else {
        return;
    };
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || open(&url).map(|db| db.schema_version()))
        })
        .collect();
    for t in threads {
        let version = t.join().expect("thread").expect("opens").expect("version");
        assert_eq!(version, MIGRATION_COUNT);
    }
    let db = open(&url).expect("opens again");
    assert_eq!(db.schema_version().expect("version"), MIGRATION_COUNT);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let Some((url, pg)) = connection("newer") else {
        return;
    };
    let newer = MIGRATION_COUNT + 5;
    Sql::new(&pg)
        .execute_batch(&format!("UPDATE tokenkeeper_schema SET version = {newer}"))
        .expect("pretend a newer TokenKeeper");
    let e = open(&url).expect_err("refused");
    assert!(
        e.to_string().contains(&format!(
            "this database was written by a newer TokenKeeper (schema {newer}); update TokenKeeper"
        )),
        "{e}"
    );
    assert_eq!(pg.schema_version().expect("version"), newer);
}

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

#[test]
fn tls_is_verified_against_the_named_ca() {
    let Some(url) = server() else {
        return;
    };
    let password = password_of(&url);
    // verify-full with the CA: the server's certificate names 127.0.0.1.
    let pg = Postgres::connect(&url).expect("verify-full with the CA");
    let ssl: String = Sql::new(&pg)
        .query_row(
            "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            args![],
            |r| r.get(0),
        )
        .expect("ssl status");
    assert_eq!(ssl, "true");
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
    // A lost connection is Unavailable.
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
    let e = Sql::new(&pg)
        .query_row("SELECT 1", args![], |r| r.get::<i64>(0))
        .expect_err("gone");
    assert_eq!(e.kind, FailureKind::Unavailable, "{e}");
    assert!(!e.detail.contains(&password), "{e}");
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
