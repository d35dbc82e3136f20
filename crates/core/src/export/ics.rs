//! iCalendar export (RFC 5545): one event at each known expiry, with reminders 30, 7 and 1 day
//! before, so the technician's own calendar warns them even where TokenKeeper is not running.
//!
//! Written by hand rather than with a crate: the subset is small, and Apple Calendar, Outlook and
//! Google Calendar each need the same few things done exactly (CRLF, folding at 75 octets on
//! character boundaries, escaped TEXT, UTC times with `Z`, a stable UID). Each event's UID comes
//! from the credential, so importing a newer export updates the events instead of duplicating
//! them; SEQUENCE is the credential's revision, so a renewal wins over the older copy.

use chrono::{DateTime, Duration, Utc};

use crate::report::{Listing, SummaryRef};
use crate::summary::Portal;
use crate::token::Kind;

/// Reminders before each expiry: the trigger, and the words for when it fires.
const ALARMS: [(&str, &str); 3] = [
    ("-P30D", "in 30 days"),
    ("-P7D", "in 7 days"),
    ("-P1D", "tomorrow"),
];

/// RFC 5545 section 3.1: a content line is at most 75 octets, line break excluded.
const MAX_LINE_OCTETS: usize = 75;

/// The calendar text of `rows`; rows whose expiry is unknown have no event.
pub(super) fn write(
    w: &mut dyn std::io::Write,
    rows: &(impl Listing + ?Sized),
    now: DateTime<Utc>,
) -> std::io::Result<()> {
    let mut ics = Lines::default();
    ics.raw("BEGIN", "VCALENDAR");
    ics.raw("VERSION", "2.0");
    ics.raw("PRODID", "-//TokenKeeper//TokenKeeper//EN");
    ics.raw("CALSCALE", "GREGORIAN");
    ics.raw("METHOD", "PUBLISH");
    ics.text("X-WR-CALNAME", "TokenKeeper expiries");
    for row in rows.rows() {
        if let Some(expiry) = row.expires_at {
            event(&mut ics, &row, expiry, now);
        }
        if ics.out.len() >= super::CHUNK {
            w.write_all(ics.out.as_bytes())?;
            ics.out.clear();
        }
    }
    ics.raw("END", "VCALENDAR");
    w.write_all(ics.out.as_bytes())
}

/// Appends the VEVENT of one credential.
fn event(ics: &mut Lines, row: &SummaryRef<'_>, expiry: DateTime<Utc>, now: DateTime<Utc>) {
    // Thirty minutes gives the event a visible block; TRANSPARENT keeps it from marking the
    // technician busy.
    let end = expiry
        .checked_add_signed(Duration::minutes(30))
        .unwrap_or(expiry);
    let what = what(row);
    ics.raw("BEGIN", "VEVENT");
    ics.text("UID", &format!("{}@tokenkeeper", row.uid));
    ics.raw("SEQUENCE", &row.revision.to_string());
    ics.raw("DTSTAMP", &utc(now));
    ics.raw("DTSTART", &utc(expiry));
    ics.raw("DTEND", &utc(end));
    ics.text("SUMMARY", &format!("{}: {what} expires", row.client));
    ics.text("DESCRIPTION", &description(row, &what, expiry));
    ics.raw("TRANSP", "TRANSPARENT");
    for (trigger, when) in ALARMS {
        ics.raw("BEGIN", "VALARM");
        ics.raw("ACTION", "DISPLAY");
        ics.text(
            "DESCRIPTION",
            &format!("{}: {what} expires {when}", row.client),
        );
        ics.raw("TRIGGER", trigger);
        ics.raw("END", "VALARM");
    }
    ics.raw("END", "VEVENT");
}

/// The credential in words: its kind, and its label when the label adds something
/// ("ADE server token (Main MDM)").
fn what(row: &SummaryRef<'_>) -> String {
    let kind = row.kind.display_name();
    let label = row.label.trim();
    if label.is_empty() || label.eq_ignore_ascii_case(kind) {
        kind.to_owned()
    } else {
        format!("{kind} ({label})")
    }
}

/// What to renew, where, and with which account: what the technician needs on the day.
fn description(row: &SummaryRef<'_>, what: &str, expiry: DateTime<Utc>) -> String {
    let (identity, where_) = match row.kind {
        Kind::PushCertificate => (
            "Topic",
            "https://identity.apple.com (Apple Push Certificates Portal): sign in with the Apple \
             Account that created it and choose Renew on the row with this topic. Never Create a \
             Certificate: a new topic makes every device re-enroll."
                .to_owned(),
        ),
        Kind::ServerToken => (
            "MDM server",
            format!(
                "{} ({}) > your profile > Preferences > this MDM server > Download Token.",
                row.portal.url(),
                Portal::name(row.portal)
            ),
        ),
        Kind::ContentToken => (
            "Organisation",
            format!(
                "{} ({}) > your profile > Preferences > Payments and Billing > Content Tokens: \
                 download the token of this location and replace the old one, never add a second.",
                row.portal.url(),
                Portal::name(row.portal)
            ),
        ),
    };
    let account = row
        .apple_account
        .unwrap_or("none recorded (use the account that created it)");
    format!(
        "Renew the {what} of {client} before {date} UTC.\n\
         Where: {where_}\n\
         {identity}: {identity_value}\n\
         Apple Account on record: {account}\n\
         Then drop the new file on {client} in TokenKeeper.",
        client = row.client,
        date = expiry.format("%Y-%m-%d %H:%M"),
        identity_value = row.identity,
    )
}

/// A UTC DATE-TIME (RFC 5545 section 3.3.5, form 2): every client reads it the same way, with no
/// VTIMEZONE needed.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11). Any line break becomes `\n`; other control
/// characters, which TEXT does not allow, are dropped.
fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Content lines, folded as they are appended.
#[derive(Default)]
struct Lines {
    out: String,
}

impl Lines {
    /// Appends `NAME:value` with a value already in its wire form (dates, numbers, constants).
    fn raw(&mut self, name: &str, value: &str) {
        fold(&format!("{name}:{value}"), &mut self.out);
    }

    /// Appends `NAME:value` with a TEXT value, escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }
}

/// Appends `line` folded to at most [`MAX_LINE_OCTETS`] octets per physical line (the leading
/// space of a continuation counts), breaking only between characters so no UTF-8 sequence is cut
/// (section 3.1 allows cutting one, but many readers then show garbage).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests;
