//! Transactions and their locks (writers queue, a try gives way, reads see one snapshot),
//! migrations, and statements prepared before a table changed.

use postgres::fallible_iterator::FallibleIterator;
use tokenkeeper_core::args;
use tokenkeeper_core::db::{Backend, Lock, MIGRATION_COUNT, Sql};
use tokenkeeper_store_postgres::{Postgres, open};

use super::{connection, fresh};

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

#[test]
fn a_committed_write_notifies_listeners() {
    let Some((url, a)) = connection("notify") else {
        return;
    };
    // A listener of its own, without TLS (the test server allows it on loopback).
    let (base, _) = url.split_once('?').expect("a query");
    let mut listener =
        postgres::Client::connect(&format!("{base}?sslmode=disable"), postgres::NoTls)
            .expect("listener connects");
    listener
        .batch_execute(&format!(
            "LISTEN {}",
            tokenkeeper_store_postgres::CHANGES_CHANNEL
        ))
        .expect("listens");
    // A read ends without a word; a write's commit is announced.
    assert!(a.begin(Lock::Read).expect("reads"));
    a.commit().expect("read ends");
    assert!(a.begin(Lock::Write).expect("writes"));
    Sql::new(&a)
        .execute(
            "INSERT INTO settings (key, value) VALUES ('n', '1')",
            args![],
        )
        .expect("insert");
    a.commit().expect("commits");
    let mut notes = listener.notifications();
    let first = notes
        .timeout_iter(std::time::Duration::from_secs(5))
        .next()
        .expect("reads notifications")
        .expect("one came");
    assert_eq!(first.channel(), "tokenkeeper_changes");
    assert!(
        notes.iter().next().expect("reads").is_none(),
        "one commit, one notice"
    );
}
