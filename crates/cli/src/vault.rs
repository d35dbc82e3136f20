//! Opening the vault the desktop app uses: the same SQLite file (or `--db PATH`) and the OS
//! keychain.

use std::path::Path;

use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::Keychain;
use tokenkeeper_core::{Error, Vault};

/// Opens the vault at `db`, or at the app's default path.
pub fn open(db: Option<&Path>) -> Result<Vault, Error> {
    let path = match db {
        Some(p) => p.to_path_buf(),
        None => Db::default_path().ok_or_else(|| Error::InvalidInput {
            message: "no app-data directory on this system: give the database with --db PATH"
                .to_owned(),
        })?,
    };
    let db = Db::open(&path)?;
    Ok(Vault::new(
        db,
        Box::new(Keychain::new(Keychain::default_service())),
    ))
}
