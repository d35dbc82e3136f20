//! `tokenkeeper status [--at RFC3339] [--json | --format text|json|prometheus|nagios]`: every credential's state, most urgent first,
//! with the exit status monitoring tools read: 0 all active, 1 something needs renewal, 2
//! something expired, lapsed or in error.

use std::io::Write;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tokenkeeper_core::vault::Channel;
use tokenkeeper_core::{Error, Listing, Report, State, Vault, monitoring};

use crate::date;

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Compute the states at this moment instead of now (RFC 3339); nothing is recorded.
    #[arg(long, value_name = "RFC3339", value_parser = crate::import::parse_date)]
    at: Option<DateTime<Utc>>,
    /// Print a JSON array (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// text, json, prometheus (the text exposition format, for node_exporter's textfile
    /// collector) or nagios (one plugin line with perfdata; exit 0 OK, 1 WARNING, 2 CRITICAL,
    /// 3 UNKNOWN).
    #[arg(long, value_parser = ["text", "json", "prometheus", "nagios"])]
    pub format: Option<String>,
}

impl Args {
    /// Whether errors are printed as JSON.
    pub fn json(&self) -> bool {
        self.json || self.format.as_deref() == Some("json")
    }

    /// Whether the Nagios plugin line is asked for.
    pub fn nagios(&self) -> bool {
        self.format.as_deref() == Some("nagios")
    }
}

/// A date as chrono writes it (`2027-03-16T09:00:00Z`), as a JSON value appended to `line`:
/// whole seconds are written digit by digit (chrono's own formatting through `fmt` was a ninth
/// of `status --json`).
///
/// # Errors
/// None in practice (writing to memory).
pub fn rfc3339_json(line: &mut Vec<u8>, at: DateTime<Utc>) -> std::io::Result<()> {
    match whole_seconds(at) {
        Some(b) => {
            line.push(b'"');
            line.extend_from_slice(&b);
            line.push(b'"');
            Ok(())
        }
        None => serde_json::to_writer(line, &at).map_err(std::io::Error::other),
    }
}

/// `at` written digit by digit when it is a whole second of years 0 to 9999.
pub(crate) fn whole_seconds(at: DateTime<Utc>) -> Option<[u8; 20]> {
    use chrono::{Datelike, Timelike};
    // Read from the date itself: each of these on a `DateTime` adds its offset again (a
    // twentieth of `status --json`, callgrind).
    let at = at.naive_utc();
    let year = at.year();
    if at.nanosecond() != 0 || !(0..=9999).contains(&year) {
        return None;
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, value: u32, digits: usize| {
        let mut v = value;
        for i in (0..digits).rev() {
            // A digit is below 10: the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation)]
            let d = (v % 10) as u8;
            b[at + i] = b'0' + d;
            v /= 10;
        }
    };
    put(0, year.unsigned_abs(), 4);
    put(5, at.month(), 2);
    put(8, at.day(), 2);
    put(11, at.hour(), 2);
    put(14, at.minute(), 2);
    put(17, at.second(), 2);
    Some(b)
}

/// The exit status for a set of states.
pub fn exit_code(rows: &(impl Listing + ?Sized)) -> u8 {
    rows.states()
        .map(|state| match state {
            State::Active => 0,
            State::RenewalRequired => 1,
            State::Expired | State::Lapsed | State::Error => 2,
        })
        .max()
        .unwrap_or(0)
}

/// Runs `status`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    // A team's vault: its copy on this computer answers when the server holds nothing newer,
    // and no state change is left to record (the server records those).
    let mut copy = vault.current_local_copy()?;
    let rows = match (args.at, &copy) {
        (Some(at), Some(copy)) => copy.report(at)?,
        (Some(at), None) => vault.report(at)?,
        (None, Some(c)) => match c.report_unrecorded(Utc::now())? {
            (rows, 0) => rows,
            _ => {
                copy = None;
                vault.report_and_record(Utc::now())?.0
            }
        },
        (None, None) => vault.report_and_record(Utc::now())?.0,
    };
    let code = report(args, copy.as_ref().unwrap_or(vault), &rows);
    if copy.is_none() && vault.has_local_copy() {
        // The copy this computer keeps is behind: taken again once the answer is out, for the
        // next report (and the app's last known state).
        let _ = std::io::stdout().flush();
        let _ = vault.save_local_copy(Utc::now());
    }
    code
}

/// Prints the report of `rows`, read from `vault`.
fn report(args: &Args, vault: &Vault, rows: &Report) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout().lock();
    let channels = vault.channels()?;
    let failing: Vec<&Channel> = channels.iter().filter(|c| c.health.problem).collect();
    let format = args
        .format
        .as_deref()
        .unwrap_or(if args.json { "json" } else { "text" });
    if matches!(format, "prometheus" | "nagios") {
        let last_checks = vault.last_successful_checks()?;
        let extras = monitoring::Extras {
            channels: &channels,
            last_checks: &last_checks,
        };
        if format == "prometheus" {
            let _ = monitoring::write_prometheus(&mut out, rows, &extras);
            let _ = out.flush();
            return Ok(ExitCode::SUCCESS);
        }
        let plugin = monitoring::nagios(rows, &extras);
        let _ = writeln!(out, "{}", plugin.line);
        return Ok(ExitCode::from(plugin.code));
    }
    if format == "json" {
        // Written as it is made, not built whole first: 100,000 rows are 24 MB of JSON.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut out);
        let _ = crate::status_json::write(&mut buffered, rows);
        let _ = buffered.flush();
    } else if rows.count() == 0 {
        let _ = writeln!(
            out,
            "No credentials yet: `tokenkeeper client add NAME`, then `tokenkeeper import FILE --client NAME`."
        );
    } else {
        let thresholds = vault.thresholds()?;
        for r in rows.rows() {
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
    if format == "text" {
        for c in &failing {
            let _ = writeln!(
                out,
                "Problem: channel \"{}\" keeps failing ({} attempts): {}",
                c.name,
                c.health.failures,
                c.health.last_error.as_deref().unwrap_or("no details")
            );
        }
    }
    // A channel that keeps failing needs attention like a renewal does.
    let code = exit_code(rows).max(u8::from(!failing.is_empty()));
    Ok(ExitCode::from(code))
}

fn short_kind(kind: tokenkeeper_core::Kind) -> &'static str {
    match kind {
        tokenkeeper_core::Kind::PushCertificate => "APNs",
        tokenkeeper_core::Kind::ServerToken => "ADE",
        tokenkeeper_core::Kind::ContentToken => "Apps and Books",
    }
}
