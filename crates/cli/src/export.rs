//! `tokenkeeper export --format csv|ics|json [--out FILE]`: the credential list for a
//! spreadsheet, a calendar (one event per expiry with alarms 30, 7 and 1 days before), or a
//! script.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use tokenkeeper_core::export::{ExportFormat, export};
use tokenkeeper_core::{Error, Vault};

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// csv, ics (calendar) or json.
    #[arg(long, value_parser = ["csv", "ics", "json"])]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs `export`.
pub fn run(args: &Args, vault: &Vault) -> Result<(), Error> {
    let format = match args.format.as_str() {
        "csv" => ExportFormat::Csv,
        "ics" => ExportFormat::Ics,
        _ => ExportFormat::Json,
    };
    let now = Utc::now();
    // A team's vault: its copy on this computer answers when the server holds nothing newer.
    let copy = vault.current_local_copy()?;
    // Let go with the process, as in `status` (freeing the rows one by one costs more than
    // the system taking the memory back whole).
    let rows = std::mem::ManuallyDrop::new(copy.as_ref().unwrap_or(vault).summaries(now)?);
    let text = export(&rows, format, now);
    if copy.is_none() && vault.has_local_copy() {
        // The copy this computer keeps is behind: taken again, for the next report.
        let _ = vault.save_local_copy(now);
    }
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        }),
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}
