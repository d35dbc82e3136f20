//! `tokenkeeper verify [--json]`: the database file checked end to end and every stored secret
//! read back; exit 0 when all is sound, 2 when something is damaged or changed.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use tokenkeeper_core::vault::RESTORE_ADVICE;
use tokenkeeper_core::{Error, Vault};

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print `{ok, problems: [{kind, message}]}`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `verify`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let report = vault.verify(Utc::now())?;
    if args.json {
        let body = serde_json::json!({ "ok": report.is_ok(), "problems": report.problems });
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&body).unwrap_or_default()
        );
    } else if report.is_ok() {
        let _ = writeln!(
            std::io::stdout().lock(),
            "Every stored secret matches what was imported, and the database file is sound."
        );
    } else {
        let mut err = std::io::stderr().lock();
        for p in &report.problems {
            let _ = writeln!(err, "error: {}", p.message);
        }
        if report.database_damaged() {
            let _ = writeln!(
                err,
                "The database file is damaged: {RESTORE_ADVICE}. `tokenkeeper backup` makes a fresh backup once it is sound again."
            );
        }
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
