//! `tokenkeeper verify [--repair] [--json]`: the database file checked end to end, every stored
//! secret read back, and the keychain items no record references found (left by an interrupted
//! import, removal or restore; `--repair` deletes them). Exit 0 when all is sound, 2 when
//! something is damaged, changed or left over.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use tokenkeeper_core::vault::RESTORE_ADVICE;
use tokenkeeper_core::{Error, STAGING_GRACE, Vault};

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First delete the keychain items no record references (never one an import in progress
    /// wrote).
    #[arg(long)]
    repair: bool,
    /// Print `{ok, problems: [{kind, message}], repaired}`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `verify`.
///
/// # Errors
/// [`Error::KeychainUnavailable`], [`Error::Database`].
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let now = Utc::now();
    let repaired = if args.repair {
        Some(vault.sweep_secrets(now, STAGING_GRACE)?)
    } else {
        None
    };
    let report = vault.verify(now)?;
    if args.json {
        let body = serde_json::json!({
            "ok": report.is_ok(),
            "problems": report.problems,
            "repaired": repaired,
        });
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&body).unwrap_or_default()
        );
    } else {
        let mut out = std::io::stdout().lock();
        if let Some(sweep) = &repaired {
            let _ = writeln!(
                out,
                "Removed {} keychain item(s) no record referenced.",
                sweep.removed.len()
            );
        }
        if report.is_ok() {
            let _ = writeln!(
                out,
                "Every stored secret matches what was imported, and the database file is sound."
            );
        }
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
