//! Exports of the credential list for tools outside TokenKeeper: a spreadsheet ([`ExportFormat::Csv`]),
//! a calendar of expiry dates ([`ExportFormat::Ics`]) and a machine-readable list
//! ([`ExportFormat::Json`]). Pure: rows and `now` come in, text goes out; the shell or the CLI
//! writes it where the user asked.

mod csv;
mod ics;
mod json;

use std::{fmt, str::FromStr};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::report::Listing;

/// A format the credential list can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// RFC 4180 CSV with a header row, safe to open in a spreadsheet.
    Csv,
    /// RFC 5545 iCalendar: one event per known expiry, with reminders.
    Ics,
    /// A JSON array, one object per credential.
    Json,
}

impl ExportFormat {
    /// Every format, in the order menus list them.
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Csv, ExportFormat::Ics, ExportFormat::Json];

    /// Stable identifier (`csv`, `ics`, `json`), also the usual file extension.
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Ics => "ics",
            ExportFormat::Json => "json",
        }
    }

    /// Parses `csv`, `ics` or `json` (exactly, as the CLI documents them).
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.id() == value)
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for ExportFormat {
    type Err = UnknownExportFormat;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value).ok_or_else(|| UnknownExportFormat(value.to_owned()))
    }
}

/// A format name that is none of `csv`, `ics`, `json`; holds the name as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownExportFormat(pub String);

impl fmt::Display for UnknownExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown export format \"{}\": choose csv, ics or json",
            self.0
        )
    }
}

impl std::error::Error for UnknownExportFormat {}

/// Renders `rows` in `format`, in the order given.
///
/// `now` is only the calendar's DTSTAMP (when the file was made); states and day counts are the
/// ones already in the rows, so every format describes the same moment. The text ends with a line
/// break and can be written to a file as it is. Never fails: every row has a rendering.
pub fn export(rows: &(impl Listing + ?Sized), format: ExportFormat, now: DateTime<Utc>) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every format writes UTF-8.
    let _ = export_to(&mut out, rows, format, now);
    String::from_utf8(out).unwrap_or_default()
}

/// [`export`], written to `w` in pieces of about 64 KB as it is made, not built whole first:
/// 100,000 credentials are 15 MB of CSV and 112 MB of calendar.
///
/// # Errors
/// What writing to `w` returns.
pub fn export_to(
    w: &mut dyn std::io::Write,
    rows: &(impl Listing + ?Sized),
    format: ExportFormat,
    now: DateTime<Utc>,
) -> std::io::Result<()> {
    match format {
        ExportFormat::Csv => csv::write(w, rows),
        ExportFormat::Ics => ics::write(w, rows, now),
        ExportFormat::Json => json::write(w, rows),
    }
}

/// How much text a writer makes before handing it on.
const CHUNK: usize = 1 << 16;

/// RFC 3339 in UTC exactly as serde writes a chrono date, so the CSV and the JSON agree.
fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Rows built by hand for the tests of every format: no database, no certificate.
#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::{DateTime, TimeZone, Utc};

    use crate::status::{Thresholds, status};
    use crate::summary::{CredentialSummary, Portal};
    use crate::token::Kind;

    /// A UTC moment.
    pub(crate) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid date")
    }

    /// The moment the sample rows were listed.
    pub(crate) fn listed() -> DateTime<Utc> {
        at(2027, 2, 20, 9, 0)
    }

    /// A row whose state is computed at [`listed`] with the default thresholds.
    pub(crate) fn row(
        uid: &str,
        client: &str,
        kind: Kind,
        label: &str,
        identity: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> CredentialSummary {
        CredentialSummary {
            uid: uid.to_owned(),
            client: client.to_owned(),
            portal: Portal::Business,
            kind,
            label: label.to_owned(),
            identity: identity.to_owned(),
            apple_account: Some("it@acme.example".to_owned()),
            expires_at,
            revision: 1,
            status: status(expires_at, None, listed(), Thresholds::default()),
            renewal_window_days: 30,
            source: crate::mdm::Source::File,
            mdm: None,
        }
    }

    /// One of each kind, in every interesting state: active, renewal required (school portal,
    /// renewed twice), expired (no Apple Account on record), and unknown expiry.
    pub(crate) fn sample() -> Vec<CredentialSummary> {
        let apns = row(
            "cred-apns-1",
            "Acme",
            Kind::PushCertificate,
            "",
            "com.apple.mgmt.External.0f6d1c2e-8a34-4f51-9d0a-3c1e2b4a5d6f",
            Some(at(2027, 9, 1, 10, 30)),
        );
        let mut ade = row(
            "cred-ade-2",
            "Lycée Victor Hugo",
            Kind::ServerToken,
            "Main MDM",
            "CK_0123456789abcdef",
            Some(at(2027, 3, 4, 12, 0)),
        );
        ade.portal = Portal::School;
        ade.revision = 3;
        let mut vpp = row(
            "cred-vpp-3",
            "Acme",
            Kind::ContentToken,
            "Main Street",
            "Acme Inc.",
            Some(at(2027, 2, 17, 8, 0)),
        );
        vpp.apple_account = None;
        let unknown = row(
            "cred-ade-4",
            "Globex",
            Kind::ServerToken,
            "Warehouse",
            "issuer C=US, CN=Globex MDM (serial 01)",
            None,
        );
        vec![apns, ade, vpp, unknown]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::CredentialSummary;

    #[test]
    fn formats_parse_from_their_ids() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(format.id()), Some(format));
            assert_eq!(format.id().parse::<ExportFormat>(), Ok(format));
            assert_eq!(format.to_string(), format.id());
        }
        assert_eq!(ExportFormat::parse("CSV"), None);
        let error = "xlsx"
            .parse::<ExportFormat>()
            .expect_err("xlsx is not a format");
        assert_eq!(
            error.to_string(),
            "unknown export format \"xlsx\": choose csv, ics or json"
        );
    }

    #[test]
    fn every_format_ends_with_a_line_break() {
        let rows = fixtures::sample();
        for format in ExportFormat::ALL {
            let text = export(&rows, format, fixtures::listed());
            assert!(text.ends_with('\n'), "{format}");
            assert!(
                !export(&[], format, fixtures::listed()).is_empty(),
                "{format}"
            );
        }
    }

    /// Takes what is written in pieces of at most `piece` bytes, as a pipe may.
    struct Pieces {
        got: Vec<u8>,
        writes: usize,
    }

    impl std::io::Write for Pieces {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7_001);
            self.got.extend_from_slice(&buf[..n]);
            self.writes += 1;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_long_export_is_written_in_pieces_with_every_row_once_in_order() {
        // About 20 pieces of 64 KB of CSV, more of calendar.
        let rows: Vec<CredentialSummary> = (0..6_000)
            .map(|i| {
                let mut r = fixtures::sample()[i % 4].clone();
                r.label = format!("row {i:05}");
                r
            })
            .collect();
        for format in ExportFormat::ALL {
            let mut w = Pieces {
                got: Vec::new(),
                writes: 0,
            };
            export_to(&mut w, &rows, format, fixtures::listed()).expect("written");
            let text = String::from_utf8(w.got).expect("UTF-8");
            assert!(w.writes > 20, "{format}: written in pieces ({})", w.writes);
            assert!(text.ends_with('\n'), "{format}");
            let labels: Vec<usize> = text
                .match_indices("row ")
                .filter_map(|(at, _)| text.get(at + 4..at + 9)?.parse().ok())
                .collect();
            let mut expected: Vec<usize> = (0..6_000).collect();
            if format == ExportFormat::Ics {
                // No event for the unknown expiry (every fourth row); each event names its
                // credential in its summary, its description and its three alarms.
                expected.retain(|i| i % 4 != 3);
                let mut labels = labels.clone();
                labels.dedup();
                assert_eq!(labels, expected, "{format}");
            } else {
                assert_eq!(labels, expected, "{format}");
            }
        }
    }

    #[test]
    fn dates_are_written_as_serde_writes_them() {
        let at = fixtures::at(2027, 3, 4, 12, 0);
        assert_eq!(rfc3339(at), "2027-03-04T12:00:00Z");
        assert_eq!(
            serde_json::to_value(at).expect("a date serializes"),
            rfc3339(at)
        );
    }
}
