//! The scheduler and the team's server: while the server answers, this computer's copy of the
//! team vault is kept up to date (the last known state); when it stops answering, the
//! scheduler and the commands move to that copy, read only, and reminders keep firing from it;
//! the server is tried again every [`RECONNECT`] (and at once when the change listener gets
//! through), and once it answers everything moves back and the reminders shown meanwhile are
//! recorded there.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokenkeeper_core::{Error, Vault};

use super::{Deliver, Scheduler};
use crate::connection::{Connection, open_copies};

/// How often an unreachable server is tried again.
pub const RECONNECT: Duration = Duration::from_secs(30);
/// The least time between two copies of the team vault: changes in a burst are copied once.
pub const COPY_EVERY: Duration = Duration::from_secs(30);

/// Opens the team's vault on its server.
pub type Open = Box<dyn Fn() -> tokenkeeper_core::Result<Vault> + Send>;
/// Hands the commands' side a new vault (`None`: keep the one they have) and the connection.
pub type Swap = Box<dyn Fn(Option<Vault>, Connection) + Send>;

/// The team's server, as the scheduler follows it.
pub struct Link {
    /// The team database, as shown (no password): names its copy.
    database: String,
    open: Open,
    swap: Swap,
    away: Option<Away>,
    /// The server's change counter in the copy last taken, and when.
    copied: Option<(i64, Instant)>,
}

/// The server stopped answering.
struct Away {
    since: DateTime<Utc>,
}

impl Link {
    /// Follows the team database `database` (as shown), opened again with `open`; `swap`
    /// gives the commands their vault. `away` when the app started on the copy.
    pub fn new(database: String, open: Open, swap: Swap, away: Option<&Connection>) -> Self {
        let away = away.and_then(|c| c.away_since).map(|since| Away { since });
        Self {
            database,
            open,
            swap,
            away,
            copied: None,
        }
    }

    /// Whether the server is away.
    pub fn is_away(&self) -> bool {
        self.away.is_some()
    }
}

impl<D: Deliver> Scheduler<D> {
    /// Whether `e` says the team's server went away (and it was not known yet).
    pub(super) fn server_left(&self, e: &Error) -> bool {
        matches!(e, Error::ServerUnavailable { .. })
            && self.link.as_ref().is_some_and(|l| !l.is_away())
    }

    /// The server went away at `now`: the scheduler and the commands move to the copy.
    pub(super) fn go_away(&mut self, now: DateTime<Utc>) {
        let Some(link) = self.link.as_mut() else {
            return;
        };
        let copies = open_copies(&link.database, now).unwrap_or_else(|e| {
            eprintln!("tokenkeeper: the copy of the team vault cannot be read: {e}");
            None
        });
        let (theirs, connection) = match copies {
            Some((commands, mine, connection)) => {
                self.vault = mine;
                (Some(commands), connection)
            }
            None => (
                None,
                Connection {
                    database: Some(link.database.clone()),
                    away_since: Some(now),
                    shown_as_of: None,
                },
            ),
        };
        eprintln!(
            "tokenkeeper: the team's server {} cannot be reached: {}",
            link.database,
            if theirs.is_some() {
                "showing the last known state, read only"
            } else {
                "this computer has no copy of the team vault to show"
            }
        );
        link.away = Some(Away { since: now });
        (link.swap)(theirs, connection);
    }

    /// While the server is away: tries it again; once it answers, the reminders shown meanwhile
    /// are recorded there and the scheduler and the commands move back to it.
    pub(super) fn try_back(&mut self) {
        let Some(link) = self.link.as_mut() else {
            return;
        };
        let Some(away) = &link.away else {
            return;
        };
        let Ok(mut server) = (link.open)() else {
            return;
        };
        let Ok(commands) = (link.open)() else {
            return;
        };
        for (n, at) in self.vault.take_notified_read_only() {
            if let Err(e) = server.mark_notified(&n, at) {
                eprintln!(
                    "tokenkeeper: a reminder shown while the server was away is not recorded: {e}"
                );
            }
        }
        eprintln!(
            "tokenkeeper: the team's server {} answers again (away since {})",
            link.database,
            away.since.format("%Y-%m-%d %H:%M:%S UTC")
        );
        self.vault = server;
        link.away = None;
        (link.swap)(
            Some(commands),
            Connection::reachable(Some(link.database.clone())),
        );
    }

    /// While the server answers: takes the copy again when the data moved since the last
    /// one, at most every [`COPY_EVERY`]. Returns when to look again if a copy waits.
    pub(super) fn keep_copy(&mut self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let link = self.link.as_mut()?;
        if link.away.is_some() {
            return None;
        }
        let changes = self.vault.data_version().ok()?;
        match link.copied {
            Some((copied, _)) if copied == changes => return None,
            Some((_, at)) if at.elapsed() < COPY_EVERY => {
                let wait = COPY_EVERY.saturating_sub(at.elapsed());
                return chrono::Duration::from_std(wait).ok().map(|w| now + w);
            }
            _ => {}
        }
        match self.vault.save_local_copy(now) {
            Ok(copy) => link.copied = Some((copy.changes, Instant::now())),
            Err(e) => {
                eprintln!("tokenkeeper: the copy of the team vault was not taken: {e}");
                link.copied = Some((changes, Instant::now()));
            }
        }
        None
    }

    /// When to try an away server again.
    pub(super) fn reconnect_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let away = self.link.as_ref().is_some_and(Link::is_away);
        away.then(|| now + chrono::Duration::from_std(RECONNECT).unwrap_or_default())
    }

    /// Whether the server is away.
    pub(super) fn is_away(&self) -> bool {
        self.link.as_ref().is_some_and(Link::is_away)
    }
}
