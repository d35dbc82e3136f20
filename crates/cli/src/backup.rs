//! `tokenkeeper backup` and `tokenkeeper restore`: the whole vault (database and keychain
//! secrets) in one passphrase-encrypted file, for moving to a new machine.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use tokenkeeper_core::vault::RestoreOptions;
use tokenkeeper_core::{Error, Vault};

use crate::secret::PassphraseArgs;
use tokenkeeper_core::file::{read_regular_file, write_private};

/// Largest backup file read.
const MAX_BACKUP: u64 = 512 * 1024 * 1024;

/// Arguments of `backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the encrypted backup.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// Print what it holds as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup file.
    file: PathBuf,
    /// Replace a TokenKeeper that already holds clients or keys (their secrets are deleted).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// Print what was restored as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `backup`.
pub fn backup(args: &BackupArgs, vault: &mut Vault) -> Result<(), Error> {
    let passphrase = args.passphrase.read("backup passphrase", true)?;
    let (bytes, summary) = vault.backup(&passphrase, Utc::now())?;
    write_private(&args.out, &bytes)?;
    if args.json {
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::json!({ "backup": args.out.display().to_string(), "contents": summary })
        );
        return Ok(());
    }
    let _ = writeln!(
        std::io::stdout().lock(),
        "Wrote an encrypted backup to {}: {} client(s), {} credential(s), {} pending key(s), {} keychain entr(ies).\nKeep the passphrase apart from the file: without it nothing can be restored.",
        args.out.display(),
        summary.clients,
        summary.credentials,
        summary.keys,
        summary.secrets
    );
    Ok(())
}

/// Runs `restore`.
pub fn restore(args: &RestoreArgs, vault: &mut Vault) -> Result<(), Error> {
    let bytes = read_regular_file(&args.file, MAX_BACKUP)?;
    // Refuse a non-empty vault before asking for the passphrase; the restore checks again.
    vault.ensure_restorable(RestoreOptions { force: args.force })?;
    let passphrase = args.passphrase.read("backup passphrase", false)?;
    let summary = vault.restore(
        &bytes,
        &passphrase,
        RestoreOptions { force: args.force },
        Utc::now(),
    )?;
    if args.json {
        let _ = writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::json!({ "restored": summary })
        );
        return Ok(());
    }
    let _ = writeln!(
        std::io::stdout().lock(),
        "Restored {} client(s), {} credential(s), {} pending key(s) and {} keychain entr(ies) from {}.",
        summary.clients,
        summary.credentials,
        summary.keys,
        summary.secrets,
        args.file.display()
    );
    Ok(())
}
