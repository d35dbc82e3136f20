//! TokenKeeper's state as monitoring tools read it: the Prometheus text exposition format (for
//! node_exporter's textfile collector) and a Nagios/Icinga/Checkmk plugin line with perfdata
//! and the plugin exit codes. Pure: the CLI lists, these write.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::report::Listing;
use crate::status::State;
use crate::vault::Channel;
use crate::words;

/// What monitoring reads besides the credentials.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    /// The channels with their health.
    pub channels: &'a [Channel],
    /// The last successful check at Apple, per service id (`device_assignment`,
    /// `apps_and_books`).
    pub last_checks: &'a [(String, DateTime<Utc>)],
}

/// A label value escaped as the exposition format asks (backslash, quote, newline), appended
/// to `out`.
fn esc_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// A label value escaped as the exposition format asks.
fn esc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    esc_into(&mut out, value);
    out
}

fn family(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// `,state="…"` for each of [`State::ALL`], in order.
const STATE_LABELS: [&str; 5] = [
    ",state=\"active\"",
    ",state=\"renewal_required\"",
    ",state=\"expired\"",
    ",state=\"lapsed\"",
    ",state=\"error\"",
];

/// One sample line, `name{labels extra} value`, put together without `fmt` for the texts:
/// 80,000 lines for 10,000 credentials, where formatting them was most of the output's cost.
fn sample(out: &mut String, name: &str, labels: &str, extra: &str, value: i64) {
    out.push_str(name);
    out.push('{');
    out.push_str(labels);
    out.push_str(extra);
    out.push_str("} ");
    let _ = write!(out, "{value}");
    out.push('\n');
}

/// The text is handed to the writer in pieces of about this size.
const CHUNK: usize = 1 << 16;

/// Hands `out` to `w` once it holds a chunk's worth.
fn spill(w: &mut impl std::io::Write, out: &mut String) -> std::io::Result<()> {
    if out.len() >= CHUNK {
        w.write_all(out.as_bytes())?;
        out.clear();
    }
    Ok(())
}

/// Each credential's labels, `client="…",kind="…",name="…"`, escaped once and kept in one
/// text (not a string per credential: 100,000 small allocations).
struct Labels {
    text: String,
    ends: Vec<usize>,
}

impl Labels {
    fn new(rows: &(impl Listing + ?Sized)) -> Self {
        let mut text = String::with_capacity(rows.count() * 64);
        let mut ends = Vec::with_capacity(rows.count());
        for r in rows.rows() {
            text.push_str("client=\"");
            esc_into(&mut text, r.client);
            text.push_str("\",kind=\"");
            text.push_str(r.kind.id());
            text.push_str("\",name=\"");
            esc_into(&mut text, r.label);
            text.push('"');
            ends.push(text.len());
        }
        Labels { text, ends }
    }

    /// The labels of row `i`.
    fn of(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// The Prometheus text exposition format: per credential its expiry (Unix seconds), days left
/// and state (one series per state, 1 for the current one), labelled by client, kind and name;
/// how many credentials are in each state; the last successful check at Apple; each channel's
/// health.
pub fn prometheus(rows: &(impl Listing + ?Sized), extras: &Extras<'_>) -> String {
    let mut out = Vec::with_capacity(rows.count() * 600 + 2048);
    // Writing to memory cannot fail.
    let _ = write_prometheus(&mut out, rows, extras);
    String::from_utf8(out).unwrap_or_default()
}

/// [`prometheus`], written to `w` as it is made instead of built whole first (100,000
/// credentials are 60 MB of text).
///
/// # Errors
/// What writing to `w` returns.
pub fn write_prometheus(
    w: &mut impl std::io::Write,
    rows: &(impl Listing + ?Sized),
    extras: &Extras<'_>,
) -> std::io::Result<()> {
    let mut out = String::with_capacity(CHUNK + 1024);
    let labels = Labels::new(rows);
    family(
        &mut out,
        "tokenkeeper_credential_expiry_timestamp_seconds",
        "When the credential expires, in Unix seconds (absent when unknown).",
    );
    for (i, r) in (0..rows.count()).map(|i| rows.figures(i)).enumerate() {
        if let Some(e) = r.expires_at {
            sample(
                &mut out,
                "tokenkeeper_credential_expiry_timestamp_seconds",
                labels.of(i),
                "",
                e.timestamp(),
            );
            spill(w, &mut out)?;
        }
    }
    // Prometheus wants base units: days left and the warning threshold go out as seconds
    // (whole days times 86,400), so `/ 86400` gives the days back.
    family(
        &mut out,
        "tokenkeeper_credential_remaining_seconds",
        "Whole days until expiry times 86400, negative once expired (absent when unknown).",
    );
    for (i, r) in (0..rows.count()).map(|i| rows.figures(i)).enumerate() {
        if let Some(d) = r.days_left {
            sample(
                &mut out,
                "tokenkeeper_credential_remaining_seconds",
                labels.of(i),
                "",
                d.saturating_mul(86_400),
            );
            spill(w, &mut out)?;
        }
    }
    family(
        &mut out,
        "tokenkeeper_credential_warning_window_seconds",
        "How long before expiry Renewal Required starts for the credential (its client's threshold).",
    );
    for (i, r) in (0..rows.count()).map(|i| rows.figures(i)).enumerate() {
        sample(
            &mut out,
            "tokenkeeper_credential_warning_window_seconds",
            labels.of(i),
            "",
            i64::from(r.renewal_window_days) * 86_400,
        );
        spill(w, &mut out)?;
    }
    family(
        &mut out,
        "tokenkeeper_credential_state",
        "The credential's state: 1 for the current one, 0 for the others.",
    );
    for (i, r) in (0..rows.count()).map(|i| rows.figures(i)).enumerate() {
        for (s, state) in State::ALL.iter().zip(STATE_LABELS) {
            let v = i64::from(r.state == *s);
            sample(
                &mut out,
                "tokenkeeper_credential_state",
                labels.of(i),
                state,
                v,
            );
        }
        spill(w, &mut out)?;
    }
    drop(labels);
    family(
        &mut out,
        "tokenkeeper_credentials",
        "How many credentials are in each state.",
    );
    for s in State::ALL {
        let n = rows.states().filter(|&state| state == s).count();
        let _ = writeln!(out, "tokenkeeper_credentials{{state=\"{}\"}} {n}", s.id());
    }
    family(
        &mut out,
        "tokenkeeper_apple_check_last_success_timestamp_seconds",
        "The last check at Apple that answered, per service, in Unix seconds.",
    );
    for (service, at) in extras.last_checks {
        let _ = writeln!(
            out,
            "tokenkeeper_apple_check_last_success_timestamp_seconds{{service=\"{}\"}} {}",
            esc(service),
            at.timestamp()
        );
    }
    family(
        &mut out,
        "tokenkeeper_channel_up",
        "1 while the channel delivers, 0 once it keeps failing.",
    );
    for c in extras.channels {
        let _ = writeln!(
            out,
            "tokenkeeper_channel_up{{channel=\"{}\",kind=\"{}\"}} {}",
            esc(&c.name),
            c.kind.id(),
            u8::from(!c.health.problem)
        );
    }
    family(
        &mut out,
        "tokenkeeper_channel_pending_messages",
        "Messages waiting in the outbox for the channel.",
    );
    for c in extras.channels {
        let _ = writeln!(
            out,
            "tokenkeeper_channel_pending_messages{{channel=\"{}\",kind=\"{}\"}} {}",
            esc(&c.name),
            c.kind.id(),
            c.health.pending
        );
    }
    family(
        &mut out,
        "tokenkeeper_channel_last_success_timestamp_seconds",
        "The channel's last delivery, in Unix seconds (absent before the first).",
    );
    for c in extras.channels {
        if let Some(at) = c.health.last_success_at {
            let _ = writeln!(
                out,
                "tokenkeeper_channel_last_success_timestamp_seconds{{channel=\"{}\",kind=\"{}\"}} {}",
                esc(&c.name),
                c.kind.id(),
                at.timestamp()
            );
        }
    }
    w.write_all(out.as_bytes())
}

/// A Nagios plugin's answer: its one line and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginResult {
    /// `TOKENKEEPER OK - … | perfdata`.
    pub line: String,
    /// 0 OK, 1 WARNING, 2 CRITICAL (3 UNKNOWN is the CLI's, when it cannot read the vault).
    pub code: u8,
}

/// The Nagios/Icinga/Checkmk plugin line: CRITICAL when anything is expired, lapsed or in
/// error; WARNING when something needs renewal or a channel keeps failing; else OK. Perfdata
/// gives the counts per state and the fewest days left (warning at the renewal window,
/// critical at 0).
pub fn nagios(rows: &(impl Listing + ?Sized), extras: &Extras<'_>) -> PluginResult {
    let count = |s: State| rows.states().filter(|&state| state == s).count();
    let critical = count(State::Expired) + count(State::Lapsed) + count(State::Error);
    let warning = count(State::RenewalRequired);
    let failing: Vec<&str> = extras
        .channels
        .iter()
        .filter(|c| c.health.problem)
        .map(|c| c.name.as_str())
        .collect();
    let code = if critical > 0 {
        2
    } else if warning > 0 || !failing.is_empty() {
        1
    } else {
        0
    };
    let word = ["OK", "WARNING", "CRITICAL"][usize::from(code)];
    let mut parts = Vec::new();
    if rows.count() == 0 {
        parts.push("no credentials on record".to_owned());
    } else if critical == 0 && warning == 0 {
        parts.push(format!("all {} credentials active", rows.count()));
    } else {
        if critical > 0 {
            parts.push(format!("{critical} expired, lapsed or in error"));
        }
        if warning > 0 {
            parts.push(format!("{warning} need renewal"));
        }
    }
    if !failing.is_empty() {
        parts.push(format!("failing channels: {}", failing.join(", ")));
    }
    // The most urgent credential, named, so the alert says what to look at.
    if let Some(first) = rows
        .rows()
        .filter(|r| r.status.state != State::Active)
        .max_by_key(|r| {
            (
                r.status.state.urgency(),
                std::cmp::Reverse(r.status.days_left),
            )
        })
    {
        let phrase = words::notification_phrase(
            first.status.state,
            first.status.days_left,
            first.status.reason,
            crate::status::Thresholds::default(),
        );
        parts.push(format!(
            "most urgent: {} {} \"{}\" {}",
            first.client,
            words::kind_words(first.kind).row_name,
            first.label,
            phrase
        ));
    }
    let text: String = parts
        .join("; ")
        .chars()
        .map(|c| if c == '|' || c.is_control() { ' ' } else { c })
        .collect();
    let mut perf = format!(
        "total={};;;0; active={};;;0; renewal_required={};1;;0; expired={};;1;0; lapsed={};;1;0; error={};;1;0; failing_channels={};1;;0;",
        rows.count(),
        count(State::Active),
        warning,
        count(State::Expired),
        count(State::Lapsed),
        count(State::Error),
        failing.len()
    );
    if let Some(min) = rows.rows().filter_map(|r| r.status.days_left).min() {
        let window = rows
            .rows()
            .map(|r| r.renewal_window_days)
            .max()
            .unwrap_or(30);
        let _ = write!(perf, " min_days_left={min};{window}:;0:;;");
    }
    PluginResult {
        line: format!("TOKENKEEPER {word} - {text} | {perf}"),
        code,
    }
}

#[cfg(test)]
mod tests;
