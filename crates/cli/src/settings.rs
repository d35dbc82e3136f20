//! `tokenkeeper settings`: shows and changes the renewal window, the grace period, where
//! Apple's services are (for Apple's simulators or a test server) and the scheduled checks.

use std::process::ExitCode;

use chrono::Utc;
use tokenkeeper_core::apple::{APPS_AND_BOOKS_URL, DEVICE_ASSIGNMENT_URL};
use tokenkeeper_core::vault::CheckSchedule;
use tokenkeeper_core::{Error, Thresholds, Vault};

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

/// Arguments of `settings`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Days before expiry when renewal becomes required.
    #[arg(long)]
    renewal_window: Option<u32>,
    /// Days after expiry during which renewing still avoids re-enrollment.
    #[arg(long)]
    grace: Option<u32>,
    /// Base URL of Apple's Device Assignment API (`default` for Apple's own).
    #[arg(long, value_name = "URL")]
    dep_url: Option<String>,
    /// Base URL of Apple's Apps and Books API v2 (`default` for Apple's own).
    #[arg(long, value_name = "URL")]
    vpp_url: Option<String>,
    /// Check every token with Apple once a day (the desktop app runs the checks).
    #[arg(long, value_name = "on|off")]
    check_daily: Option<Switch>,
}

/// Runs `settings`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let now = Utc::now();
    let current = vault.thresholds()?;
    let wanted = Thresholds {
        renewal_window_days: args.renewal_window.unwrap_or(current.renewal_window_days),
        grace_days: args.grace.unwrap_or(current.grace_days),
    };
    if wanted != current {
        vault.set_thresholds(wanted, now)?;
    }
    let mut endpoints = vault.apple_endpoints()?;
    let before = endpoints.clone();
    let pick = |given: &Option<String>, default: &str, current: &mut String| {
        if let Some(url) = given {
            *current = if url.trim().eq_ignore_ascii_case("default") {
                default.to_owned()
            } else {
                url.clone()
            };
        }
    };
    pick(
        &args.dep_url,
        DEVICE_ASSIGNMENT_URL,
        &mut endpoints.device_assignment,
    );
    pick(
        &args.vpp_url,
        APPS_AND_BOOKS_URL,
        &mut endpoints.apps_and_books,
    );
    if endpoints != before {
        vault.set_apple_endpoints(&endpoints, now)?;
        endpoints = vault.apple_endpoints()?;
    }
    let mut schedule = vault.check_schedule()?;
    if let Some(switch) = args.check_daily {
        let wanted = CheckSchedule {
            enabled: switch == Switch::On,
            interval_hours: 24,
        };
        if wanted != schedule {
            vault.set_check_schedule(wanted, now)?;
            schedule = wanted;
        }
    }
    println!(
        "Renewal window: {} days before expiry\nGrace period: {} days after expiry (a figure vendors report; Apple does not document it)",
        wanted.renewal_window_days, wanted.grace_days
    );
    println!(
        "Device Assignment API: {}\nApps and Books API: {}\nTime limit of a check: {} s",
        endpoints.device_assignment,
        endpoints.apps_and_books,
        endpoints.timeout.as_secs()
    );
    if schedule.enabled {
        let next = vault
            .next_scheduled_check(now)?
            .map_or("when a token is imported".to_owned(), crate::date);
        println!(
            "Scheduled checks with Apple: on, every {} hours (next: {next})",
            schedule.interval_hours
        );
    } else {
        println!("Scheduled checks with Apple: off (`--check-daily on` to turn them on)");
    }
    Ok(ExitCode::SUCCESS)
}
