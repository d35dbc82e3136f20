//! `tokenkeeper`: the command-line twin of the TokenKeeper app, for scripts and monitoring.
//! Parses arguments, reads the clock and files, and hands everything else to the core.

mod check;
mod client;
mod events;
mod export;
mod import;
mod inspect;
mod settings;
mod status;
mod vault;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};
use clap::{Parser, Subcommand};
use tokenkeeper_core::Error;

/// Exit status of a command that could not do its job.
const EXIT_FAILURE: u8 = 3;
/// Exit status for a command line that does not parse.
const EXIT_USAGE: u8 = 64;

/// Keep Apple MDM credentials alive: APNs push certificates, ADE server tokens, Apps and Books
/// tokens.
#[derive(Debug, Parser)]
#[command(name = "tokenkeeper", version, about, long_about = None)]
struct Cli {
    /// The TokenKeeper database (default: the desktop app's own, in the OS app-data directory).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a credential file and say what it is, whom it belongs to and when it expires.
    Inspect(inspect::Args),
    /// Add, list, edit or remove clients.
    #[command(subcommand)]
    Client(client::Args),
    /// Import a credential file for a client: a new credential or a renewal.
    Import(import::Args),
    /// Every credential's state; exit 0 all active, 1 renewal required, 2 expired/lapsed/error.
    Status(status::Args),
    /// The audit log.
    Events(events::Args),
    /// Export the credential list as CSV, a calendar (ICS) or JSON.
    Export(export::Args),
    /// Read back every stored secret from the keychain and check it was not changed.
    Verify,
    /// Ask Apple (read-only) whether each ADE and Apps and Books token still works; exit 0 all
    /// good, 2 a problem or warning, 3 a check could not be done.
    Check(check::Args),
    /// Show or change the renewal window, the grace period, Apple's addresses and the
    /// scheduled checks.
    Settings(settings::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = cli.command.json();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e, json);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, Error> {
    if let Command::Inspect(args) = &cli.command {
        return inspect::run(args);
    }
    let mut vault = vault::open(cli.db.as_deref())?;
    match &cli.command {
        Command::Inspect(_) => Ok(ExitCode::SUCCESS),
        Command::Client(args) => client::run(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Import(args) => import::run(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Status(args) => status::run(args, &mut vault),
        Command::Events(args) => events::run(args, &vault).map(|()| ExitCode::SUCCESS),
        Command::Export(args) => export::run(args, &vault).map(|()| ExitCode::SUCCESS),
        Command::Verify => {
            let problems = vault.verify_secrets(Utc::now())?;
            for p in &problems {
                eprintln!("error: {p}");
            }
            if problems.is_empty() {
                println!("Every stored secret matches what was imported.");
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(2))
            }
        }
        Command::Check(args) => check::run(args, &mut vault),
        Command::Settings(args) => settings::run(args, &mut vault),
    }
}

impl Command {
    fn json(&self) -> bool {
        match self {
            Command::Inspect(args) => args.json,
            Command::Client(args) => args.json(),
            Command::Import(args) => args.json,
            Command::Status(args) => args.json,
            Command::Events(args) => args.json,
            Command::Check(args) => args.json,
            Command::Export(_) | Command::Verify | Command::Settings(_) => false,
        }
    }
}

/// Prints a failure: `error: <message>` on stderr (with a hint when the user can override it),
/// and the `{kind, message}` object on stdout with `--json`.
fn report(e: &Error, json: bool) {
    eprintln!("error: {e}");
    if let Some(hint) = import::hint(e) {
        eprintln!("hint: {hint}");
    }
    if json {
        let body = serde_json::json!({ "error": e.body() });
        let _ = writeln!(std::io::stdout(), "{body}");
    }
}

/// A date in the user's time zone.
fn date(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%-d %b %Y %H:%M %Z")
        .to_string()
}

/// Reads a file the user named, with the size limit applied before reading it all.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size > tokenkeeper_core::error::MAX_FILE_SIZE {
        return Err(Error::TooLarge { size });
    }
    std::fs::read(path).map_err(io)
}
