//! Opening a team's vault: the shared database for the records, and the team's encrypted
//! secrets read with this technician's key from their OS keychain.

use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::team::{self, MemberKey, TeamSecrets};
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
/// `keychain`: the records on the server, the secrets shared encrypted to the team.
///
/// # Errors
/// [`Error::NotFound`] when the database has no team yet or this technician is not in it
/// (saying which command sets it up); what [`crate::open`] returns.
pub fn open_vault(url: &str, keychain: &dyn SecretStore) -> Result<Vault> {
    let db = crate::open(url)?;
    if team::members(&db.sql())?.is_empty() {
        return Err(Error::NotFound {
            what: format!("a team on the database {}", db.location()),
            hint: ": start one there with `tokenkeeper team init --db URL --name YOUR-NAME` (it moves this computer's vault into it)".to_owned(),
        });
    }
    let key = member_key(&db, keychain)?.ok_or_else(|| Error::NotFound {
        what: format!("your team key for {}", db.location()),
        hint: ": run `tokenkeeper team join --db URL --name YOUR-NAME` and ask a member to add you"
            .to_owned(),
    })?;
    let me = team::member_holding(&db.sql(), &key)?.name;
    let url = url.to_owned();
    let secrets = TeamSecrets::lazy(key, me.clone(), Box::new(move || crate::open(&url)));
    let mut db = db;
    db.set_actor(Some(me));
    Ok(Vault::new(db, Box::new(secrets)))
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
        Some(url) => open_vault(url, keychain.as_ref()),
        None => Ok(Vault::new(Db::open(location)?, keychain)),
    }
}
