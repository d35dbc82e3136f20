//! `tokenkeeper events [--client NAME]`: the audit log, newest first.

use std::io::Write;

use tokenkeeper_core::vault::EventFilter;
use tokenkeeper_core::{Error, Vault};

use crate::date;

/// Arguments of `events`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this client's events.
    #[arg(long)]
    client: Option<String>,
    /// Only events of these kinds (imported, renewed, refused, warning_accepted, state_changed, ...).
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,
    /// At most this many (0: all).
    #[arg(long, default_value_t = 100)]
    limit: usize,
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Runs `events`.
pub fn run(args: &Args, vault: &Vault) -> Result<(), Error> {
    let events = vault.events(&EventFilter {
        client: args.client.clone(),
        kinds: args.kinds.clone(),
        limit: args.limit,
        ..EventFilter::default()
    })?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&events).unwrap_or_default()
        );
        return Ok(());
    }
    for e in events {
        let whom = match (&e.client, &e.label) {
            (Some(c), Some(l)) => format!("{c} \"{l}\""),
            (Some(c), None) => c.clone(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{}  {:<17} {:<28} {}",
            date(e.at),
            e.kind.id(),
            whom,
            e.message
        );
    }
    Ok(())
}
