//! `tokenkeeper status [--at RFC3339] [--json]`: every credential's state, most urgent first,
//! with the exit status monitoring tools read: 0 all active, 1 something needs renewal, 2
//! something expired, lapsed or in error.

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokenkeeper_core::mdm::{MdmView, Source};
use tokenkeeper_core::{CredentialSummary, Error, State, Vault};

use crate::date;

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compute the states at this moment instead of now (RFC 3339); nothing is recorded.
    #[arg(long, value_name = "RFC3339", value_parser = crate::import::parse_date)]
    at: Option<DateTime<Utc>>,
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// One row of `status --json`, as the command-line contract names its fields.
#[derive(Serialize)]
struct Row<'a> {
    client: &'a str,
    kind: tokenkeeper_core::Kind,
    label: &'a str,
    expires_at: Option<DateTime<Utc>>,
    days_left: Option<i64>,
    state: State,
    reason: Option<&'a str>,
    source: Source,
    mdm: Option<&'a MdmView>,
}

/// The exit status for a set of states.
pub fn exit_code(rows: &[CredentialSummary]) -> u8 {
    rows.iter()
        .map(|r| match r.status.state {
            State::Active => 0,
            State::RenewalRequired => 1,
            State::Expired | State::Lapsed | State::Error => 2,
        })
        .max()
        .unwrap_or(0)
}

/// Runs `status`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let rows = match args.at {
        Some(at) => vault.summaries(at)?,
        None => vault.record_state_changes(Utc::now())?.0,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let json: Vec<Row<'_>> = rows
            .iter()
            .map(|r| Row {
                client: &r.client,
                kind: r.kind,
                label: &r.label,
                expires_at: r.expires_at,
                days_left: r.status.days_left,
                state: r.status.state,
                reason: r.status.reason.as_deref(),
                source: r.source,
                mdm: r.mdm.as_ref(),
            })
            .collect();
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
    } else if rows.is_empty() {
        let _ = writeln!(
            out,
            "No credentials yet: `tokenkeeper client add NAME`, then `tokenkeeper import FILE --client NAME`."
        );
    } else {
        let thresholds = vault.thresholds()?;
        for r in &rows {
            let mut line = format!(
                "{:<17} {:<24} {:<22} {:<18} {}",
                r.status.state.label(),
                r.client,
                format!("{}: {}", short_kind(r.kind), r.label),
                r.expires_at.map_or("-".to_owned(), date),
                r.status.time_phrase(thresholds),
            );
            if let Some(reason) = &r.status.reason {
                line.push_str(&format!(" ({reason})"));
            }
            if let Some(m) = &r.mdm {
                line.push_str(&format!(" [{}: {}]", r.source.label(), m.connection));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    Ok(ExitCode::from(exit_code(&rows)))
}

fn short_kind(kind: tokenkeeper_core::Kind) -> &'static str {
    match kind {
        tokenkeeper_core::Kind::PushCertificate => "APNs",
        tokenkeeper_core::Kind::ServerToken => "ADE",
        tokenkeeper_core::Kind::ContentToken => "Apps and Books",
    }
}
