//! Moving a technician's own vault into an empty team database (`tokenkeeper team init`): every
//! row copied as it is (ids included, so every reference still holds), every secret read from
//! the keychain and stored encrypted to the team. The source is only read.

use serde::Serialize;

use crate::args;
use crate::db::{Arg, Cell, Db, Dialect};
use crate::error::{Error, Result};
use crate::secrets::SecretStore;

/// The tables of a vault, parents before children. The keychain journal is not copied: it
/// names the source keychain's items in flight, not the team's.
pub(super) const TABLES: &[&str] = &[
    "clients",
    "credentials",
    "versions",
    "events",
    "settings",
    "reminders_sent",
    "keys",
    "checks",
    "channels",
    "channel_clients",
    "alerts",
    "alert_items",
    "outbox",
    "mdm_connections",
    "mdm_items",
];

/// What arrived in the team database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CopyReport {
    /// Clients copied.
    pub clients: u64,
    /// Credentials copied.
    pub credentials: u64,
    /// Audit events copied.
    pub events: u64,
    /// Rows copied in all.
    pub rows: u64,
    /// Secrets now stored encrypted to the team.
    pub secrets: u64,
}

/// Every keychain account a vault's records name.
fn accounts(sql: &crate::db::Sql<'_>) -> Result<Vec<String>> {
    Ok(sql.query_map(
        "SELECT key_ref FROM credentials WHERE key_ref IS NOT NULL
         UNION SELECT secret_ref FROM credentials WHERE secret_ref IS NOT NULL
         UNION SELECT key_ref FROM keys
         UNION SELECT secret_ref FROM channels
         UNION SELECT secret_ref FROM mdm_connections
         ORDER BY 1",
        args![],
        |r| r.get(0),
    )?)
}

/// Copies the vault in `from` (a SQLite file, whose secrets are in `from_secrets`) into the
/// team database `to`, whose secrets go to `to_secrets`. `to` must hold no vault yet. All rows
/// arrive in one transaction: a failure leaves `to` as it was (secrets already written are
/// unreadable leftovers named by nothing, deleted again).
///
/// # Errors
/// [`Error::NotEmpty`] when `to` already holds clients, keys or events;
/// [`Error::Tampered`] when a secret the source names is missing from its keychain;
/// [`Error::Database`].
pub fn copy_vault(
    from: &Db,
    from_secrets: &dyn SecretStore,
    to: &mut Db,
    to_secrets: &dyn SecretStore,
) -> Result<CopyReport> {
    let source = from.sql();
    if source.dialect() != Dialect::Sqlite {
        return Err(Error::InvalidInput {
            message: "a team database is started from this computer's own TokenKeeper file"
                .to_owned(),
        });
    }
    let occupied: i64 = to.sql().query_row(
        "SELECT (SELECT COUNT(*) FROM clients) + (SELECT COUNT(*) FROM keys)
              + (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM channels)",
        args![],
        |r| r.get(0),
    )?;
    if occupied > 0 {
        return Err(Error::NotEmpty {
            message: "the team database already holds a vault: join that team instead (`tokenkeeper team join`); nothing was copied".to_owned(),
        });
    }
    // Secrets first, each from the keychain: a secret that cannot be read stops everything
    // before a row is copied.
    let accounts = accounts(&source)?;
    let mut written = Vec::new();
    let stored = accounts.iter().try_for_each(|account| {
        let secret = from_secrets.get(account)?.ok_or_else(|| Error::Tampered {
            message: format!(
                "the keychain entry {account} is missing, so the team would lack it: run `tokenkeeper verify` here first; nothing was copied"
            ),
        })?;
        to_secrets.put(account, &secret)?;
        written.push(account.clone());
        Ok::<(), Error>(())
    });
    let copied = stored.and_then(|()| {
        to.write(|tx| {
            let mut report = CopyReport::default();
            let mut numbered = Vec::new();
            for table in TABLES {
                let columns = columns_of(&source, table)?;
                let (rows, has_id) = copy_table(&source, tx, table, &columns)?;
                if has_id {
                    numbered.push(*table);
                }
                report.rows += rows;
                match *table {
                    "clients" => report.clients = rows,
                    "credentials" => report.credentials = rows,
                    "events" => report.events = rows,
                    _ => {}
                }
            }
            if tx.dialect() == Dialect::Postgres {
                // Ids were given, not drawn: the next one drawn must come after them.
                for table in numbered {
                    tx.execute_batch(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                       GREATEST((SELECT MAX(id) FROM {table}), 1))"
                    ))?;
                }
            }
            Ok(report)
        })
    });
    match copied {
        Ok(mut report) => {
            report.secrets = written.len() as u64;
            Ok(report)
        }
        Err(e) => {
            for account in &written {
                let _ = to_secrets.delete(account);
            }
            Err(e)
        }
    }
}

/// The columns of `table` in a SQLite database, in order.
pub(super) fn columns_of(sqlite: &crate::db::Sql<'_>, table: &str) -> Result<Vec<String>> {
    Ok(sqlite.query_map(
        &format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        args![],
        |r| r.get(0),
    )?)
}

/// Copies one table's rows, these `columns` by name; how many, and whether the table has an
/// `id` column.
pub(super) fn copy_table(
    source: &crate::db::Sql<'_>,
    target: &crate::db::Sql<'_>,
    table: &str,
    columns: &[String],
) -> Result<(u64, bool)> {
    let list = columns.join(", ");
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let insert = format!("INSERT INTO {table} ({list}) VALUES ({})", marks.join(", "));
    let has_id = columns.iter().any(|c| c == "id");
    let order = if has_id { " ORDER BY id" } else { "" };
    let mut copied = 0u64;
    source.query_each(
        &format!("SELECT {list} FROM {table}{order}"),
        args![],
        |r| -> Result<bool> {
            let mut values = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                values.push(match r.get_ref(i)? {
                    Cell::Null => Arg::Null,
                    Cell::Int(v) => Arg::Int(v),
                    Cell::Real(v) => Arg::Real(v),
                    Cell::Text(v) => Arg::Text(v),
                    Cell::Blob(v) => Arg::Blob(v),
                });
            }
            target.execute(&insert, &values)?;
            copied += 1;
            Ok(true)
        },
    )?;
    Ok((copied, has_id))
}
