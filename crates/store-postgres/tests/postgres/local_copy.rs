//! The team vault's copy on this computer: every row as the server holds it at one moment,
//! read only, and never a shared secret.

use chrono::{DateTime, Duration, TimeZone, Utc};
use tokenkeeper_core::args;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{Confirmation, EventFilter, ImportRequest};
use tokenkeeper_core::{MemoryStore, Portal, Vault, team};
use tokenkeeper_store_postgres::open;

use super::fresh;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("a valid date")
}

fn content_token(client: &str, location: &str, days: i64) -> ImportRequest {
    ImportRequest {
        client: client.to_owned(),
        bytes: ContentTokenSpec::new(location, now() + Duration::days(days)).build(),
        ..Default::default()
    }
}

const YES: Confirmation = Confirmation {
    confirmed: true,
    accept_new_identity: false,
};

#[test]
fn a_local_copy_is_the_server_at_one_moment_read_only_and_without_secrets() {
    let Some(url) = fresh("copy") else {
        return;
    };
    let mut server = Vault::new(open(&url).expect("opens"), Box::new(MemoryStore::new()));
    server
        .add_client("Acme", Portal::Business, "notes", now())
        .expect("client");
    server
        .add_client("Globex", Portal::School, "", now())
        .expect("client");
    server
        .import(&content_token("Acme", "Main Street", 20), YES, now())
        .expect("token");
    server
        .import(&content_token("Globex", "Harbour", 300), YES, now())
        .expect("token");
    // A shared secret as the team stores it: it must stay on the server.
    let marker = b"age-ciphertext-that-stays-on-the-server";
    let db = open(&url).expect("opens");
    db.sql()
        .execute(
            "INSERT INTO team_secrets (account, ciphertext, written_at, written_by)
             VALUES ('acct', ?1, '2026-11-21T12:00:00Z', 'Alice')",
            args![&marker[..]],
        )
        .expect("a secret");

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("copies").join("team.db");
    let taken = team::save_local_copy(&db, &path, now()).expect("copied");
    assert_eq!(taken.changes, db.data_version().expect("counter"));
    assert_eq!(taken.taken_at, now());

    let reason = "the team's server is away since 12:00: read only";
    let (copy_db, info) = team::open_local_copy(&path, reason.to_owned())
        .expect("opens")
        .expect("a copy");
    assert_eq!(info, taken);
    assert_eq!(copy_db.read_only(), Some(reason));
    let mut copy = Vault::new(copy_db, Box::new(MemoryStore::new()));
    let later = now() + Duration::days(1);
    let listed = |v: &Vault| format!("{:?}", v.summaries(later).expect("listing"));
    assert_eq!(listed(&copy), listed(&server));
    assert_eq!(
        copy.events(&EventFilter::default()).expect("copy"),
        server.events(&EventFilter::default()).expect("server")
    );
    assert_eq!(
        copy.clients().expect("copy"),
        server.clients().expect("server")
    );

    // Every change is refused with the reason, and nothing moves.
    let before = listed(&copy);
    let e = copy
        .add_client("Initech", Portal::Business, "", now())
        .expect_err("read only");
    assert_eq!(e.kind(), "read_only");
    assert_eq!(e.to_string(), reason);
    let e = copy
        .import(&content_token("Acme", "Side Street", 40), YES, now())
        .expect_err("read only");
    assert_eq!(e.kind(), "read_only", "{e}");
    // Bookkeeping on a read is skipped, not refused: the listing still answers.
    let (rows, recorded) = copy
        .record_state_changes(now() + Duration::days(400))
        .expect("a read");
    assert_eq!(recorded, 0);
    assert_eq!(rows.len(), 2);
    assert_eq!(listed(&copy), before);
    drop(copy);

    // The file holds the rows, not the team's secrets.
    let bytes = std::fs::read(&path).expect("the copy");
    let found = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(found(b"Main Street"), "the rows are there");
    assert!(!found(marker), "a shared secret left the server");

    // Taken again after a change: the new copy replaces the old one whole.
    server
        .add_client("Initech", Portal::Business, "", now())
        .expect("client");
    let again = team::save_local_copy(&db, &path, now()).expect("copied again");
    assert!(again.changes > taken.changes);
    let (copy_db, _) = team::open_local_copy(&path, reason.to_owned())
        .expect("opens")
        .expect("a copy");
    let names: Vec<String> = Vault::new(copy_db, Box::new(MemoryStore::new()))
        .clients()
        .expect("clients")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Acme", "Globex", "Initech"]);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        leftovers,
        [std::ffi::OsString::from("team.db")],
        "no temporary file left"
    );

    // No copy, or a file that is not one: nothing to show.
    assert!(
        team::open_local_copy(&dir.path().join("none.db"), String::new())
            .expect("no error")
            .is_none()
    );
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").expect("junk");
    assert!(
        team::open_local_copy(&junk, String::new())
            .expect("no error")
            .is_none()
    );
}
