//! Hearing other desktops' changes: a connection of its own that LISTENs to the channel every
//! write transaction notifies on commit, so a dashboard refreshes within a moment of a change
//! made elsewhere instead of polling the server.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use crate::{CHANGES_CHANNEL, Postgres};

/// The longest pause between two attempts to reach a server that went away.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// Listens on the database at `url` in a thread of its own, for as long as the process runs:
/// `changed` is called for every change committed by anyone, and once after each reconnection
/// (changes made while the server was out of reach were not heard). A server that goes away is
/// tried again, after 1 s, then longer pauses up to 30 s. `connected(false)` says the listener
/// lost the server, `connected(true)` that it has it again.
///
/// # Errors
/// The thread could not be started.
pub fn listen(
    url: &str,
    mut changed: impl FnMut() + Send + 'static,
    mut connected: impl FnMut(bool) + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let url = url.to_owned();
    std::thread::Builder::new()
        .name("team-listener".to_owned())
        .spawn(move || {
            let mut pause = Duration::from_secs(1);
            let mut first = true;
            loop {
                match Postgres::connect(&url) {
                    Ok(backend) => {
                        pause = Duration::from_secs(1);
                        let mut client = backend.into_client();
                        if client
                            .batch_execute(&format!("LISTEN {CHANGES_CHANNEL}"))
                            .is_ok()
                        {
                            connected(true);
                            if !first {
                                changed();
                            }
                            first = false;
                            let mut notices = client.notifications();
                            let mut heard = notices.blocking_iter();
                            // Ends when the connection does.
                            while let Ok(Some(_)) = heard.next() {
                                changed();
                            }
                        }
                        connected(false);
                    }
                    Err(_) => {
                        connected(false);
                    }
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(MAX_RETRY);
            }
        })
}
