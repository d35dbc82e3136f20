//! How changes are written: one transaction at a time (a write lock taken at once, a reader never
//! kept waiting by bookkeeping, a snapshot for reads that must agree), refused whole while the
//! data is read only; and who the changes are recorded as made by.

use super::{ActorSource, Backend, Db, Lock, Sql};
use crate::error::{Error, Result};

/// Rolls back a transaction its code did not finish (an error, a panic).
struct Open<'c> {
    backend: &'c dyn Backend,
    done: bool,
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.backend.rollback();
        }
    }
}

impl Db {
    /// Records `actor` (a team member's name) as who made every change from now on.
    pub fn set_actor(&mut self, actor: Option<String>) {
        self.actor = actor;
    }

    /// Finds the actor with `source` the first time a change is made (or
    /// [`Db::resolve_actor`] asks), instead of now.
    pub fn set_actor_source(&mut self, source: ActorSource) {
        self.actor = None;
        self.actor_source = Some(source);
    }

    /// Who the changes made here are recorded as made by, if known yet.
    pub fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }

    /// Who the changes made here are recorded as made by, found now if it has a source.
    ///
    /// # Errors
    /// What the source returns (a team key missing from the keychain, or no member's).
    pub fn resolve_actor(&mut self) -> Result<Option<&str>> {
        if self.actor.is_none() {
            if let Some(source) = &self.actor_source {
                let actor = source(&self.sql())?;
                self.actor = Some(actor);
            }
        }
        Ok(self.actor.as_deref())
    }

    /// Runs `f` in one write transaction (taken at once, so two processes queue instead of
    /// failing on lock upgrade); commits when it returns `Ok`, rolls back otherwise.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Sql<'_>) -> Result<T>) -> Result<T> {
        self.transaction(Lock::Write, f)?
            .ok_or_else(|| Error::Database {
                detail: "the write lock was refused".to_owned(),
            })
    }

    /// Like [`Db::write`], but for bookkeeping a read can do without (a state change noticed
    /// on the way): when another process holds the write lock it gives up at once and returns
    /// `None` instead of waiting, so a reader never waits on a writer. The caller leaves the
    /// work for the next run to find again.
    pub(crate) fn try_write<T>(
        &mut self,
        f: impl FnOnce(&Sql<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.transaction(Lock::TryWrite, f)
    }

    /// Runs `f` on one read snapshot: every query it makes sees the same committed state.
    pub(crate) fn snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let sql = self.sql();
        sql.0.begin(Lock::Read)?;
        let _open = Open {
            backend: sql.0,
            done: false,
        };
        f()
    }

    fn transaction<T>(
        &mut self,
        lock: Lock,
        f: impl FnOnce(&Sql<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        if lock != Lock::Read {
            if let Some(reason) = &self.read_only {
                // Bookkeeping a read can do without waits for the data to be writable again.
                return match lock {
                    Lock::TryWrite => Ok(None),
                    _ => Err(Error::ReadOnly {
                        reason: reason.clone(),
                    }),
                };
            }
            self.resolve_actor()?;
        }
        let sql = self.sql();
        if !sql.0.begin(lock)? {
            return Ok(None);
        }
        let mut open = Open {
            backend: sql.0,
            done: false,
        };
        let value = f(&sql)?;
        sql.0.commit()?;
        open.done = true;
        Ok(Some(value))
    }
}
