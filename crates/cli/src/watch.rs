//! `tokenkeeper watch [--once]`: the desktop app's scheduler without a window, for a server or
//! an always-on box: state changes recorded, due alerts queued in the outbox, the outbox
//! delivered to the channels, scheduled checks at Apple run. The app and `watch` on one
//! database never send an alert twice: the core queues each once and leases each delivery.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use tokenkeeper_core::{Error, Vault};

/// The longest sleep between two passes, so changes made elsewhere are noticed soon.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Arguments of `watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run one pass and exit (for cron or a systemd timer); exit 1 when a delivery failed.
    #[arg(long)]
    once: bool,
}

/// One pass; returns whether a delivery failed.
fn pass(vault: &mut Vault, out: &mut impl Write) -> Result<bool, Error> {
    let now = Utc::now();
    let (_, changed) = vault.report_and_record(now)?;
    let queued = vault.queue_alerts(now)?;
    let checks = vault.check_due(now, &vault.apple_endpoints()?)?;
    let round = tokenkeeper_channels::deliver_due(vault, &Utc::now, tokenkeeper_channels::TIMEOUT)?;
    if changed + checks.len() > 0 || queued.messages + round.delivered + round.failed > 0 {
        let _ = writeln!(
            out,
            "{}: {changed} state change(s), {} alert(s) queued in {} message(s), {} delivered, {} failed, {} check(s) at Apple",
            tokenkeeper_core::alerts::stamp(Utc::now()),
            queued.alerts,
            queued.messages,
            round.delivered,
            round.failed,
            checks.len()
        );
    }
    Ok(round.failed > 0)
}

/// Runs `watch`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout();
    if args.once {
        let failed = pass(vault, &mut out)?;
        return Ok(ExitCode::from(u8::from(failed)));
    }
    let _ = writeln!(
        out,
        "Watching (Ctrl-C stops): reminders, channel alerts, checks at Apple"
    );
    loop {
        if let Err(e) = pass(vault, &mut out) {
            // A busy or briefly unavailable database: try again on the next pass.
            eprintln!("error: {e}");
        }
        let now = Utc::now();
        let next = [
            vault.next_delivery_at().ok().flatten(),
            vault.next_reminder_at(now).ok().flatten(),
            vault.next_scheduled_check(now).ok().flatten(),
        ]
        .into_iter()
        .flatten()
        .min();
        let wait = next
            .and_then(|at| (at - now).to_std().ok())
            .unwrap_or(MAX_SLEEP)
            .clamp(Duration::from_secs(1), MAX_SLEEP);
        std::thread::sleep(wait);
    }
}
