//! The SQL the vault writes, as PostgreSQL runs it: parameters, values of every type,
//! case-insensitive names, SQLite's functions and the event log's rules.

use tokenkeeper_core::args;
use tokenkeeper_core::db::{Cell, FailureKind, Sql};

use super::connection;

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
