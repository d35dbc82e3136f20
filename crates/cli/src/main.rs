//! `tokenkeeper`: the command-line twin of the TokenKeeper app, for scripts and monitoring.
//! Parses arguments, reads the clock and files, and hands everything else to the core.

mod backup;
mod cert_export;
mod channel;
mod check;
mod client;
mod events;
mod export;
mod import;
mod inspect;
mod keys;
mod mdm;
mod secret;
mod settings;
mod status;
mod status_json;
mod team;
mod vault;
mod verify;
mod watch;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Local, Utc};
use clap::{Parser, Subcommand};
use tokenkeeper_core::Error;

/// mimalloc instead of glibc's allocator: a report of 100,000 credentials makes half a million
/// small allocations, which glibc served with 12,000 page faults as its heap grew (a third of
/// `status --json`'s CPU time, perf); mimalloc, with about 1,000.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status of a command that could not do its job.
const EXIT_FAILURE: u8 = 3;
/// Exit status for a command line that does not parse.
const EXIT_USAGE: u8 = 64;

/// Keep Apple MDM credentials alive: APNs push certificates, ADE server tokens, Apps and Books
/// tokens.
#[derive(Debug, Parser)]
#[command(name = "tokenkeeper", version, about, long_about = None)]
struct Cli {
    /// The TokenKeeper database: a file, or a team's PostgreSQL server as
    /// `postgres://USER@HOST/DB?sslmode=verify-full&sslrootcert=CA.pem` (default: `TOKENKEEPER_DB`,
    /// else the desktop app's own file in the OS app-data directory).
    #[arg(long, global = true, value_name = "PATH|URL")]
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
    /// Every credential's state; exit 0 all active, 1 renewal required (or a channel failing),
    /// 2 expired/lapsed/error. --format prometheus|nagios for monitoring.
    Status(status::Args),
    /// The audit log.
    Events(events::Args),
    /// Export the credential list as CSV, a calendar (ICS) or JSON.
    Export(export::Args),
    /// Check the database file end to end, read back every stored secret and find the keychain
    /// items no record references (--repair deletes them); exit 0 all sound, 2 something needs
    /// attention.
    Verify(verify::Args),
    /// Make an APNs CSR: its RSA-2048 key stays in the OS keychain until the certificate arrives.
    Csr(keys::CsrArgs),
    /// Sign a client's pending CSR with an MDM vendor identity: the request for identity.apple.com.
    PushRequest(keys::PushRequestArgs),
    /// Keep an MDM vendor identity (.p12) in the OS keychain, to sign push requests.
    #[command(subcommand)]
    Vendor(keys::VendorArgs),
    /// ADE key pairs: make one (certificate to upload to ABM), or keep an existing MDM's key.
    #[command(subcommand)]
    Keypair(keys::KeypairArgs),
    /// The keys on record that no credential uses yet (pending CSR and ADE keys, vendor identities).
    Keys(keys::KeysArgs),
    /// Export a client's APNs certificate with its private key (PKCS#12 or PEM) for the MDM.
    CertExport(cert_export::Args),
    /// Write the whole vault (database and keychain secrets) to one passphrase-encrypted file.
    Backup(backup::BackupArgs),
    /// Restore a backup made with `tokenkeeper backup` (on an empty TokenKeeper, or with --force).
    Restore(backup::RestoreArgs),
    /// Ask Apple (read-only) whether each ADE and Apps and Books token still works; exit 0 all
    /// good, 2 a problem or warning, 3 a check could not be done.
    Check(check::Args),
    /// Read-only connections to each client's MDM: add, list, sync, remove.
    #[command(subcommand)]
    Mdm(mdm::Args),
    /// Show or change the renewal window, the grace period, Apple's addresses and the
    /// scheduled checks.
    Settings(settings::Args),
    /// Where alerts go: e-mail (SMTP), Microsoft Teams, Slack, a signed JSON webhook.
    #[command(subcommand)]
    Channel(channel::Args),
    /// Run the scheduler without a window: alerts queued and delivered, checks at Apple.
    Watch(watch::Args),
    /// Share one inventory with your team on PostgreSQL: init, join, members (add, remove,
    /// list). Secrets are encrypted to each member's key; the server never sees one.
    #[command(subcommand)]
    Team(team::Args),
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
            if let Command::Status(args) = &cli.command {
                if args.nagios() {
                    // The plugin convention: one line on stdout, UNKNOWN, exit 3.
                    let _ = writeln!(std::io::stdout(), "TOKENKEEPER UNKNOWN - {e}");
                }
            }
            report(&e, json);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, Error> {
    if let Command::Inspect(args) = &cli.command {
        return inspect::run(args);
    }
    if let Command::Team(args) = &cli.command {
        return team::run(args, cli.db.as_deref()).map(|()| ExitCode::SUCCESS);
    }
    let mut vault = vault::open(cli.db.as_deref())?;
    match &cli.command {
        Command::Inspect(_) | Command::Team(_) => Ok(ExitCode::SUCCESS),
        Command::Client(args) => client::run(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Import(args) => import::run(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Status(args) => status::run(args, &mut vault),
        Command::Events(args) => events::run(args, &vault).map(|()| ExitCode::SUCCESS),
        Command::Export(args) => export::run(args, &vault).map(|()| ExitCode::SUCCESS),
        Command::Csr(args) => keys::csr(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::PushRequest(args) => keys::push_request(args, &vault).map(|()| ExitCode::SUCCESS),
        Command::Vendor(args) => keys::vendor(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Keypair(args) => keys::keypair(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Keys(args) => keys::keys(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::CertExport(args) => cert_export::run(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Backup(args) => backup::backup(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Restore(args) => backup::restore(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Verify(args) => verify::run(args, &mut vault),
        Command::Check(args) => check::run(args, &mut vault),
        Command::Settings(args) => settings::run(args, &mut vault),
        Command::Channel(args) => channel::run(args, &mut vault).map(|()| ExitCode::SUCCESS),
        Command::Watch(args) => watch::run(args, &mut vault),
        Command::Mdm(args) => mdm::run(args, &mut vault),
    }
}

impl Command {
    fn json(&self) -> bool {
        match self {
            Command::Inspect(args) => args.json,
            Command::Client(args) => args.json(),
            Command::Import(args) => args.json,
            Command::Status(args) => args.json(),
            Command::Channel(args) => args.json(),
            Command::Events(args) => args.json,
            Command::Csr(args) => args.json,
            Command::PushRequest(args) => args.json,
            Command::Keypair(args) => args.json(),
            Command::Keys(args) => args.json,
            Command::Backup(args) => args.json,
            Command::Restore(args) => args.json,
            Command::Verify(args) => args.json,
            Command::Export(_)
            | Command::Settings(_)
            | Command::Vendor(_)
            | Command::Watch(_)
            | Command::CertExport(_) => false,
            Command::Check(args) => args.json,
            Command::Mdm(args) => args.json(),
            Command::Team(args) => args.json(),
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

/// Reads a credential, key or passphrase file the user named: the core's bounded reader
/// (regular files only, at most 1 MiB), never a reader of the CLI's own.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    tokenkeeper_core::read_credential_file(path)
}
