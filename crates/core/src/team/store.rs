//! The team's secret store: shared secrets in the team database, each encrypted to every current
//! member.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use zeroize::Zeroizing;

use super::{Me, MemberKey, decrypt, encrypt, member_holding, recipients};
use crate::args;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::secrets::SecretStore;
use crate::vault::ts;

/// The team's shared secret store: secrets in the team database, each encrypted to every
/// current member, read with this technician's key. A [`SecretStore`] like the keychain, so
/// the vault keeps secrets the same way on either.
pub struct TeamSecrets {
    db: Mutex<Option<Db>>,
    opener: Option<Opener>,
    me: Arc<Me>,
}

/// Opens the store's own connection to the team database, the first time a secret is needed.
pub type Opener = Box<dyn Fn() -> Result<Db> + Send + Sync>;

impl std::fmt::Debug for TeamSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamSecrets")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl TeamSecrets {
    /// The store on `db` (a connection of its own to the team database), for the member
    /// holding `key`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when `key` is not a current member's; [`Error::Database`].
    pub fn open(db: Db, key: MemberKey) -> Result<Self> {
        let name = member_holding(&db.sql(), &key)?.name;
        Ok(Self {
            db: Mutex::new(Some(db)),
            opener: None,
            me: Arc::new(Me::known(key, name)),
        })
    }

    /// The store for `me` (found in the team when a secret is first read or written), whose
    /// connection `opener` makes only then: a command that needs no secret (a status report)
    /// never connects twice nor asks the keychain.
    pub fn lazy(me: Arc<Me>, opener: Opener) -> Self {
        Self {
            db: Mutex::new(None),
            opener: Some(opener),
            me,
        }
    }

    /// Runs `f` on the store's connection, made first if need be.
    fn with_db<T>(&self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        let mut db = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        if db.is_none() {
            let open = self.opener.as_ref().ok_or_else(|| Error::Database {
                detail: "the team's secret store has no connection".to_owned(),
            })?;
            *db = Some(open()?);
        }
        match db.as_mut() {
            Some(db) => f(db),
            None => Err(Error::Database {
                detail: "the team's secret store has no connection".to_owned(),
            }),
        }
    }
}

impl SecretStore for TeamSecrets {
    fn put(&self, account: &str, secret: &[u8]) -> Result<()> {
        let now = Utc::now();
        self.with_db(|db| {
            let me = self.me.find(&db.sql())?.1.to_owned();
            db.write(|tx| {
                let ciphertext = encrypt(&recipients(tx)?, secret)?;
                tx.execute(
                    "INSERT INTO team_secrets (account, ciphertext, written_at, written_by)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (account) DO UPDATE SET ciphertext = excluded.ciphertext,
                         written_at = excluded.written_at, written_by = excluded.written_by",
                    args![account, ciphertext, ts(now), me],
                )?;
                Ok(())
            })
        })
    }

    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        self.with_db(|db| {
            let sql = db.sql();
            let ciphertext: Option<Vec<u8>> = sql.query_opt(
                "SELECT ciphertext FROM team_secrets WHERE account = ?1",
                args![account],
                |r| r.get(0),
            )?;
            ciphertext
                .map(|c| decrypt(self.me.find(&sql)?.0, account, &c))
                .transpose()
        })
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.with_db(|db| {
            db.write(|tx| {
                tx.execute(
                    "DELETE FROM team_secrets WHERE account = ?1",
                    args![account],
                )?;
                Ok(())
            })
        })
    }
}
