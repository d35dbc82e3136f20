//! `tokenkeeper verify [--repair] [--json]`: reads back every stored secret, and lists the
//! keychain items no record references (left by a killed import, a crash); `--repair` deletes
//! those. Exit 0 when all is well, 2 when something needs attention.

use std::process::ExitCode;

use chrono::Utc;
use serde::Serialize;
use tokenkeeper_core::{Error, Orphan, STAGING_GRACE, Sweep, Vault};

/// Arguments of `verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Delete the keychain items no record references (never one an import in progress wrote).
    #[arg(long)]
    repair: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report {
    /// Secrets missing or changed in the keychain: `{kind, message}` each.
    secrets: Vec<tokenkeeper_core::error::ErrorBody>,
    /// Keychain items no record references (after `--repair`: those that could not go).
    orphaned_secrets: Vec<Orphan>,
    /// What `--repair` removed.
    repaired: Option<Sweep>,
}

/// Runs `verify`.
///
/// # Errors
/// [`Error::KeychainUnavailable`], [`Error::Database`].
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let now = Utc::now();
    let problems = vault.verify_secrets(now)?;
    let repaired = if args.repair {
        Some(vault.sweep_secrets(now, STAGING_GRACE)?)
    } else {
        None
    };
    let orphans = vault.orphaned_secrets(now, STAGING_GRACE)?;
    let healthy = problems.is_empty() && orphans.is_empty();
    if args.json {
        let report = Report {
            secrets: problems.iter().map(Error::body).collect(),
            orphaned_secrets: orphans,
            repaired,
        };
        println!("{}", serde_json::json!(report));
    } else {
        for p in &problems {
            eprintln!("error: {p}");
        }
        if let Some(sweep) = &repaired {
            println!(
                "Removed {} keychain item(s) no record referenced.",
                sweep.removed.len()
            );
        }
        if !orphans.is_empty() {
            eprintln!(
                "error: {} keychain item(s) are referenced by no record (left by an interrupted import or removal); `tokenkeeper verify --repair` deletes them",
                orphans.len()
            );
        }
        if problems.is_empty() {
            println!("Every stored secret matches what was imported.");
        }
    }
    Ok(if healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
