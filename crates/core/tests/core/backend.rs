//! Which database engine the vault tests run on. By default each test's vault is a SQLite file
//! in its temporary folder. With `TOKENKEEPER_TEST_BACKEND=postgres` (and the server
//! `TOKENKEEPER_TEST_POSTGRES` names, see `scripts/with-postgres.sh`), the same tests run on
//! PostgreSQL: each temporary path stands for a database of its own on that server, created the
//! first time the path is opened, so a test that reopens its vault finds its data again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tokenkeeper_core::db::Db;

/// Whether this run's vaults live on PostgreSQL.
pub fn on_postgres() -> bool {
    match std::env::var("TOKENKEEPER_TEST_BACKEND").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("TOKENKEEPER_TEST_BACKEND={other}: expected sqlite or postgres"),
    }
}

/// The server's URL for `path`'s database (PostgreSQL runs only).
pub fn url_of(path: &Path) -> String {
    static DATABASES: OnceLock<Mutex<BTreeMap<PathBuf, String>>> = OnceLock::new();
    let admin = std::env::var("TOKENKEEPER_TEST_POSTGRES").expect(
        "TOKENKEEPER_TEST_BACKEND=postgres needs a server: run the tests under scripts/with-postgres.sh",
    );
    let mut databases = DATABASES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    databases
        .entry(path.to_path_buf())
        .or_insert_with(|| {
            tokenkeeper_store_postgres::testing::fresh_database(&admin, "core")
                .expect("a fresh database")
        })
        .clone()
}

/// Opens the test database that `path` stands for, on this run's engine.
pub fn open_db(path: &Path) -> tokenkeeper_core::Result<Db> {
    if on_postgres() {
        tokenkeeper_store_postgres::open(&url_of(path))
    } else {
        Db::open(path)
    }
}

/// Everything the engine stored for `path`, as bytes: the SQLite file with its journal, or a
/// `pg_dump` of the database. What a thief or a database administrator could read.
pub fn stored_bytes(path: &Path) -> Vec<u8> {
    if on_postgres() {
        let out = std::process::Command::new(pg_dump())
            .arg("--dbname")
            .arg(url_of(path))
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.windows(12).any(|w| w == b"CREATE TABLE"));
        return out.stdout;
    }
    let mut all = std::fs::read(path).unwrap();
    for ext in ["-wal", "-shm"] {
        if let Ok(b) = std::fs::read(format!("{}{ext}", path.display())) {
            all.extend(b);
        }
    }
    all
}

fn pg_dump() -> PathBuf {
    let debian = Path::new("/usr/lib/postgresql");
    if let Ok(versions) = std::fs::read_dir(debian) {
        let mut found: Vec<PathBuf> = versions
            .flatten()
            .map(|v| v.path().join("bin/pg_dump"))
            .filter(|p| p.exists())
            .collect();
        found.sort();
        if let Some(p) = found.pop() {
            return p;
        }
    }
    PathBuf::from("pg_dump")
}

/// Makes every insert into `table` fail from now on, inside whatever transaction runs it: the
/// way to prove a write that fails halfway leaves nothing behind.
pub fn fail_inserts_into(path: &Path, table: &str) {
    let db = open_db(path).unwrap();
    let sql = if on_postgres() {
        format!(
            "CREATE FUNCTION fail_{table}() RETURNS trigger LANGUAGE plpgsql AS
                 $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
             CREATE TRIGGER fail_{table} BEFORE INSERT ON {table}
                 FOR EACH ROW EXECUTE FUNCTION fail_{table}();"
        )
    } else {
        format!(
            "CREATE TRIGGER fail_{table} BEFORE INSERT ON {table}
             BEGIN SELECT RAISE(ABORT, 'injected'); END;"
        )
    };
    db.sql().execute_batch(&sql).unwrap();
}
