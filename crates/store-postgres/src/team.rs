//! Opening a team's vault: the shared database for the records, and the team's encrypted
//! secrets read with this technician's key from their OS keychain.

use std::sync::Arc;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::SecretStore;

use tokenkeeper_core::team::{self, Me, MemberKey, TeamSecrets};
use tokenkeeper_core::{Error, Result, Vault};

/// This technician's team key for the database at `db`, from `keychain`.
///
/// # Errors
/// [`Error::KeychainUnavailable`]; [`Error::Tampered`] when the entry is not a key.
pub fn member_key(db: &Db, keychain: &dyn SecretStore) -> Result<Option<MemberKey>> {
    keychain
        .get(&team::key_account(&db.location()))?
        .map(|secret| MemberKey::from_secret(&secret))
        .transpose()
}

/// This technician's team key for `db`: the one in `keychain`, or a new one stored there.
///
/// # Errors
/// [`Error::KeychainUnavailable`].
pub fn member_key_or_new(db: &Db, keychain: &dyn SecretStore) -> Result<MemberKey> {
    if let Some(key) = member_key(db, keychain)? {
        return Ok(key);
    }
    let key = MemberKey::generate();
    keychain.put(&team::key_account(&db.location()), &key.to_secret())?;
    Ok(key)
}

/// Opens the vault of the team database at `url` for the technician whose keychain is
/// `keychain`: the records on the server, the secrets shared encrypted to the team. Who this
/// technician is (their key, their member name) is found the first time a change or a secret
/// needs it: a report reads the server only.
///
/// # Errors
/// [`Error::NotFound`] when the database has no team yet (saying which command sets it up);
/// what [`crate::open`] returns.
pub fn open_vault(url: &str, keychain: Box<dyn SecretStore>) -> Result<Vault> {
    let mut db = crate::open(url)?;
    if !team::has_members(&db.sql())? {
        return Err(Error::NotFound {
            what: format!("a team on the database {}", db.location()),
            hint: ": start one there with `tokenkeeper team init --db URL --name YOUR-NAME` (it moves this computer's vault into it)".to_owned(),
        });
    }
    let me = Arc::new(Me::from_keychain(keychain, db.location()));
    let finder = Arc::clone(&me);
    db.set_actor_source(Box::new(move |sql| Ok(finder.find(sql)?.1.to_owned())));
    let url = url.to_owned();
    let secrets = TeamSecrets::lazy(me, Box::new(move || crate::open(&url)));
    Ok(Vault::new(db, Box::new(secrets)))
}

/// How a server's URL is shown (and names the database: its team key, its local copy):
/// without the password. `None` when it is no URL this crate can open.
pub fn shown_location(url: &str) -> Option<String> {
    crate::url::parse(url).ok().map(|t| t.shown)
}

/// Whether a database location (`--db`, `TOKENKEEPER_DB`) names a PostgreSQL server rather
/// than a file.
pub fn is_server_url(location: &str) -> bool {
    let lower = location.get(..13).unwrap_or(location).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// Opens the vault wherever `location` says: a team's server (its secrets the team's, read
/// with this technician's key from `keychain`) or a file (its secrets in `keychain`).
///
/// # Errors
/// What [`open_vault`] or [`Db::open`] return.
pub fn open_location(location: &std::path::Path, keychain: Box<dyn SecretStore>) -> Result<Vault> {
    match location.to_str().filter(|l| is_server_url(l)) {
        Some(url) => open_vault(url, keychain),
        None => Ok(Vault::new(Db::open(location)?, keychain)),
    }
}
