//! The database: opening, migrating, locking and the append-only log, on real files.

use super::*;
use crate::args;

#[test]
fn migrates_a_new_file_and_reopens_it() {
    let dir = std::env::temp_dir().join(format!("tk-db-{}", std::process::id()));
    let path = dir.join("nested").join("t.db");
    let db = Db::open(&path).expect("open");
    assert_eq!(
        db.schema_version().expect("version"),
        schema::MIGRATIONS.len()
    );
    drop(db);
    let db = Db::open(&path).expect("reopen");
    let mode: String = db
        .sqlite()
        .expect("a SQLite file")
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn data_version_moves_only_for_other_connections_commits() {
    let dir = std::env::temp_dir().join(format!("tk-db-dv-{}", std::process::id()));
    let path = dir.join("t.db");
    let watcher = Db::open(&path).expect("open");
    let mut writer = Db::open(&path).expect("open again");
    let before = watcher.data_version().expect("version");
    let own_before = writer.data_version().expect("version");
    writer
        .write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('probe', '1')",
                args![],
            )?;
            Ok(())
        })
        .expect("write");
    assert_ne!(watcher.data_version().expect("version"), before);
    assert_eq!(writer.data_version().expect("version"), own_before);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_change_stamp_moves_for_every_commit_and_not_for_reads() {
    let dir = std::env::temp_dir().join(format!("tk-db-stamp-{}", std::process::id()));
    let path = dir.join("t.db");
    let mut me = Db::open(&path).expect("open");
    let mut other = Db::open(&path).expect("open again");
    let insert = |db: &mut Db, key: &str| {
        db.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, '1')",
                args![key],
            )?;
            Ok(())
        })
        .expect("write");
    };
    let start = me.change_stamp().expect("stamp");
    let _: i64 = me
        .sqlite()
        .expect("a SQLite file")
        .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
        .expect("read");
    assert_eq!(me.change_stamp().expect("stamp"), start, "a read");
    insert(&mut me, "mine");
    let after_mine = me.change_stamp().expect("stamp");
    assert_ne!(after_mine, start, "my own commit");
    insert(&mut other, "theirs");
    assert_ne!(
        me.change_stamp().expect("stamp"),
        after_mine,
        "another connection's commit"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn refuses_a_newer_schema() {
    let dir = std::env::temp_dir().join(format!("tk-db-new-{}", std::process::id()));
    let path = dir.join("t.db");
    let db = Db::open(&path).expect("open");
    db.sqlite()
        .expect("a SQLite file")
        .pragma_update(None, "user_version", 999)
        .expect("bump");
    drop(db);
    let e = Db::open(&path).expect_err("newer");
    assert!(e.to_string().contains("newer TokenKeeper"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn event_log_is_append_only() {
    let db = Db::open_in_memory().expect("db");
    db.sqlite().expect("a SQLite file")
        .execute(
            "INSERT INTO events (at, kind, message) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'test', 'x')",
            [],
        )
        .expect("insert");
    assert!(
        db.sqlite()
            .expect("a SQLite file")
            .execute("UPDATE events SET message = 'y'", [])
            .is_err()
    );
    assert!(
        db.sqlite()
            .expect("a SQLite file")
            .execute("DELETE FROM events", [])
            .is_err()
    );
}

fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tk-db-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir.join("t.db")
}

#[test]
fn a_newer_schema_is_refused_before_anything_changes() {
    let path = scratch("newer-rollback");
    {
        let raw = Connection::open(&path).expect("raw");
        let mode: String = raw
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "delete");
        raw.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .expect("future schema");
    }
    let before = std::fs::read(&path).expect("read");
    let e = Db::open(&path).expect_err("newer");
    assert!(e.to_string().contains("newer TokenKeeper"), "{e}");
    assert!(e.to_string().contains("nothing was changed"), "{e}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "file untouched"
    );
    assert!(!path.with_extension("db-wal").exists(), "no WAL file made");
    let raw = Connection::open(&path).expect("raw");
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "delete", "still in rollback-journal mode");
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn opening_does_not_wait_for_another_process_writing() {
    let path = scratch("reader");
    drop(Db::open(&path).expect("create"));
    let writer = Connection::open(&path).expect("writer");
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('uncommitted', '1');",
        )
        .expect("hold the write lock");
    // Were opening to take the write lock, this would wait and fail after the busy timeout.
    let mut reader = Db::open(&path).expect("open while another connection writes");
    let n: i64 = reader
        .sqlite()
        .expect("a SQLite file")
        .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
        .expect("read");
    assert_eq!(n, 0, "reads the committed data");
    // Bookkeeping gives up at once instead of waiting.
    let skipped = reader
        .try_write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('probe', '1')",
                args![],
            )?;
            Ok(())
        })
        .expect("try");
    assert!(skipped.is_none());
    writer.execute_batch("COMMIT").expect("commit");
    let done = reader
        .try_write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('probe', '1')",
                args![],
            )?;
            Ok(())
        })
        .expect("try");
    assert!(done.is_some());
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn connections_opening_a_new_file_at_once_migrate_it_once() {
    let path = scratch("race");
    let start = std::sync::Arc::new(std::sync::Barrier::new(6));
    let opened: Vec<_> = (0..6)
        .map(|_| {
            let (path, start) = (path.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                Db::open(&path).map(|db| db.schema_version())
            })
        })
        .collect();
    for t in opened {
        let version = t.join().expect("thread").expect("open").expect("version");
        assert_eq!(version, MIGRATION_COUNT);
    }
    // A second run of a migration would have failed on CREATE TABLE; one set of tables.
    let db = Db::open(&path).expect("reopen");
    let tables = number(
        &db,
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'clients'",
    );
    assert_eq!(tables, 1);
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn a_damaged_file_is_named_as_such() {
    let path = scratch("notadb");
    std::fs::write(&path, vec![0x5a_u8; 8192]).expect("write");
    let e = Db::open(&path).expect_err("not a database");
    assert_eq!(e.kind(), "database_damaged", "{e}");
    assert!(e.to_string().contains("database file is damaged"), "{e}");
    assert!(e.to_string().contains("tokenkeeper verify"), "{e}");
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn integrity_check_finds_a_damaged_index_and_broken_references() {
    let path = scratch("integrity");
    let db = Db::open(&path).expect("open");
    assert!(db.check_integrity().expect("check").is_ok());
    db.sqlite().expect("a SQLite file")
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO keys (uid, client_id, purpose, label, key_ref, public_key_sha256, created_at)
             VALUES ('k', 42, 'ade', 'orphan', 'ref', 'sha', '2026-01-01T00:00:00Z');
             PRAGMA foreign_keys = ON;",
        )
        .expect("orphan row");
    let report = db.check_integrity().expect("check");
    assert_eq!(
        report.problems,
        vec![DatabaseProblem::BrokenReference {
            table: "keys".to_owned(),
            rowid: Some(1),
            parent: "clients".to_owned(),
        }]
    );
    db.sqlite()
        .expect("a SQLite file")
        .execute("DELETE FROM keys", [])
        .expect("clean");
    let page: i64 = db
        .sqlite()
        .expect("a SQLite file")
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'keys_by_recipient'",
            [],
            |r| r.get(0),
        )
        .expect("root page");
    drop(db);
    overwrite_page(&path, page);
    let db = Db::open(&path).expect("open: the header is intact");
    let report = db.check_integrity().expect("check");
    assert!(!report.is_ok());
    assert!(
        report
            .problems
            .iter()
            .all(|p| matches!(p, DatabaseProblem::Damaged { .. })),
        "{report:?}"
    );
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

/// Fills one page of a closed database file with garbage (its WAL is folded in on close).
pub(crate) fn overwrite_page(path: &Path, page: i64) {
    use std::io::{Seek, SeekFrom, Write};
    let size = {
        let raw = Connection::open(path).expect("raw");
        raw.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))
            .expect("page size")
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open file");
    let offset = u64::try_from((page - 1) * size).expect("offset");
    f.seek(SeekFrom::Start(offset)).expect("seek");
    f.write_all(&vec![0xa5_u8; usize::try_from(size).expect("size")])
        .expect("write");
}

/// The one number `sql` selects, read straight from the SQLite file.
fn number(db: &Db, sql: &str) -> i64 {
    db.sqlite()
        .expect("a SQLite file")
        .query_row(sql, [], |r| r.get(0))
        .expect(sql)
}

/// The bytes SQLite's page cache holds for `db`'s connection.
#[allow(unsafe_code)]
fn cache_used(db: &Db) -> i32 {
    let conn = db.sqlite().expect("a SQLite file");
    let (mut used, mut highest) = (0, 0);
    // SAFETY: the handle is the live connection's; sqlite3_db_status only reads its counters.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_db_status(
            conn.handle(),
            rusqlite::ffi::SQLITE_DBSTATUS_CACHE_USED,
            &raw mut used,
            &raw mut highest,
            0,
        )
    };
    assert_eq!(rc, rusqlite::ffi::SQLITE_OK);
    used
}

#[test]
fn releasing_memory_empties_the_page_cache_after_a_full_read() {
    let dir = std::env::temp_dir().join(format!("tk-db-release-{}", std::process::id()));
    let path = dir.join("t.db");
    let mut db = Db::open(&path).expect("open");
    db.write(|tx| {
        for i in 0..2000 {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                args![format!("k{i}"), "v".repeat(500)],
            )?;
        }
        Ok(())
    })
    .expect("write");
    assert!(number(&db, "SELECT SUM(LENGTH(value)) FROM settings") >= 1_000_000);
    let before = cache_used(&db);
    assert!(
        before > 500_000,
        "the read filled the cache: {before} bytes"
    );
    db.release_memory();
    let after = cache_used(&db);
    assert!(
        after < before / 10,
        "{before} bytes cached before, {after} after"
    );
    // The connection works on as before.
    assert_eq!(
        number(&db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'k%'"),
        2000
    );
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}
