//! `tokenkeeper`: the command-line twin of the TokenKeeper app, for scripts and monitoring.
//! Parses arguments, reads the clock and files, and hands everything else to the core.

mod inspect;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// The TokenKeeper database (default: the app's own, in the OS app-data directory).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a credential file and say what it is, whom it belongs to and when it expires.
    Inspect(inspect::Args),
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
    let result = match &cli.command {
        Command::Inspect(args) => inspect::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report(&e, json);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

impl Command {
    fn json(&self) -> bool {
        match self {
            Command::Inspect(args) => args.json,
        }
    }
}

/// Prints a failure: `error: <message>` on stderr, and the `{kind, message}` object on stdout
/// with `--json`.
fn report(e: &Error, json: bool) {
    eprintln!("error: {e}");
    if json {
        let body = serde_json::json!({ "error": e.body() });
        let _ = writeln!(std::io::stdout(), "{body}");
    }
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
