//! `tokenkeeper settings`: shows and changes the renewal window, the grace period, where
//! Apple's services are (for Apple's simulators or a test server) and the scheduled checks.

use std::process::ExitCode;

use chrono::Utc;
use tokenkeeper_core::vault::{CheckSchedule, SettingsChange};
use tokenkeeper_core::{Error, Vault};

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
    let change = SettingsChange {
        renewal_window_days: args.renewal_window,
        grace_days: args.grace,
        device_assignment_url: args.dep_url.clone(),
        apps_and_books_url: args.vpp_url.clone(),
        timeout_seconds: None,
        schedule: args.check_daily.map(|switch| CheckSchedule {
            enabled: switch == Switch::On,
            interval_hours: 24,
        }),
    };
    vault.change_settings(&change, now)?;
    let wanted = vault.thresholds()?;
    let endpoints = vault.apple_endpoints()?;
    let schedule = vault.check_schedule()?;
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
