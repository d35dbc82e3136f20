//! Opening the vault the desktop app uses: the same SQLite file (or `--db PATH`), or a team's
//! PostgreSQL database (`--db postgres://…`), and the OS keychain.

use std::path::Path;

use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::Keychain;
use tokenkeeper_core::{Error, Vault};

/// Opens the vault at `db` (a file, or a team's `postgres://` URL: its secrets are the team's,
/// read with this technician's team key), or at the app's default place (`TOKENKEEPER_DB`, else
/// the app-data folder).
pub fn open(db: Option<&Path>) -> Result<Vault, Error> {
    let location = match db {
        Some(p) => p.to_path_buf(),
        None => Db::default_path().ok_or_else(|| Error::InvalidInput {
            message: "no app-data directory on this system: give the database with --db PATH"
                .to_owned(),
        })?,
    };
    tokenkeeper_store_postgres::open_location(
        &location,
        Box::new(Keychain::new(Keychain::default_service())),
    )
}

pub use tokenkeeper_store_postgres::is_server_url;

#[cfg(test)]
mod tests {
    use super::is_server_url;

    #[test]
    fn server_urls_are_told_from_files() {
        assert!(is_server_url("postgres://tk@db.example/tk"));
        assert!(is_server_url("PostgreSQL://tk@db.example/tk"));
        assert!(!is_server_url("/home/me/postgres://odd name.db"));
        assert!(!is_server_url("tokenkeeper.db"));
        assert!(!is_server_url("postgres"));
    }
}
