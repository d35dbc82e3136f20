//! `tokenkeeper export --format csv|ics|json [--out FILE]`: the credential list for a
//! spreadsheet, a calendar (one event per expiry with alarms 30, 7 and 1 days before), or a
//! script.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use tokenkeeper_core::export::{ExportFormat, export_to};
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
    let rows = copy.as_ref().unwrap_or(vault).report(now)?;
    // Written as it is made (100,000 credentials are 15 MB of CSV, 112 MB of calendar).
    let written = match &args.out {
        Some(path) => {
            let io = |source| Error::Io {
                path: path.display().to_string(),
                source,
            };
            let file = std::fs::File::create(path).map_err(io)?;
            let mut out = std::io::BufWriter::new(file);
            export_to(&mut out, &rows, format, now)
                .and_then(|()| out.flush())
                .map_err(io)
        }
        None => {
            // A closed pipe (`| head`) is the reader's choice, not a failure.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let _ = export_to(&mut out, &rows, format, now).and_then(|()| out.flush());
            Ok(())
        }
    };
    if copy.is_none() && vault.has_local_copy() {
        // The copy this computer keeps is behind: taken again, for the next report.
        let _ = vault.save_local_copy(now);
    }
    written
}
