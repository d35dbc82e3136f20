//! CSV export (RFC 4180: CRLF line ends, a header row, quoted fields where needed) for the
//! spreadsheet a technician or a client opens. Client names and labels are typed by people, so
//! any text field that a spreadsheet would run as a formula is defused.

use std::borrow::Cow;

use super::rfc3339;
use crate::report::Listing;

/// Column names, in order. Part of the export's contract: scripts read them.
const HEADER: [&str; 15] = [
    "client",
    "portal",
    "kind",
    "kind_name",
    "label",
    "identity",
    "apple_account",
    "expires_at",
    "days_left",
    "state",
    "reason",
    "source",
    "mdm_connection",
    "mdm_vendor",
    "mdm_expires_at",
];

/// One cell of a record.
enum Field<'a> {
    /// Text: defused against formulas, then quoted if needed.
    Text(Cow<'a, str>),
    /// A whole number written as is, so a spreadsheet sorts and sums it (`-3` must stay a number,
    /// not become the text `'-3`); empty when unknown.
    Number(Option<i64>),
}

/// The CSV text of `rows`, header first.
pub(super) fn write(
    w: &mut dyn std::io::Write,
    rows: &(impl Listing + ?Sized),
) -> std::io::Result<()> {
    let mut out = String::with_capacity(super::CHUNK + 4096);
    record(&mut out, HEADER.map(text));
    for row in rows.rows() {
        if out.len() >= super::CHUNK {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
        record(
            &mut out,
            [
                text(row.client),
                text(row.portal.id()),
                text(row.kind.id()),
                text(row.kind.display_name()),
                text(row.label),
                text(row.identity),
                text(row.apple_account.unwrap_or_default()),
                Field::Text(row.expires_at.map(rfc3339).unwrap_or_default().into()),
                Field::Number(row.status.days_left),
                text(row.status.state.id()),
                text(row.status.reason.unwrap_or_default()),
                text(row.source.id()),
                text(
                    row.mdm
                        .as_ref()
                        .map(|m| m.connection.as_str())
                        .unwrap_or_default(),
                ),
                text(row.mdm.as_ref().map(|m| m.vendor.id()).unwrap_or_default()),
                Field::Text(
                    row.mdm
                        .as_ref()
                        .and_then(|m| m.expires_at)
                        .map(rfc3339)
                        .unwrap_or_default()
                        .into(),
                ),
            ],
        );
    }
    w.write_all(out.as_bytes())
}

/// A text cell borrowing its value.
fn text(value: &str) -> Field<'_> {
    Field::Text(Cow::Borrowed(value))
}

/// Appends one record and its CRLF.
fn record<'a>(out: &mut String, fields: impl IntoIterator<Item = Field<'a>>) {
    for (index, field) in fields.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        match field {
            Field::Text(value) => out.push_str(&quote(&defuse(&value))),
            Field::Number(Some(number)) => out.push_str(&number.to_string()),
            Field::Number(None) => {}
        }
    }
    out.push_str("\r\n");
}

/// Prefixes `'` to text a spreadsheet would evaluate (OWASP "CSV injection"): a client named
/// `=HYPERLINK(...)` must show as text, not run. Excel and LibreOffice hide the apostrophe.
fn defuse(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// Quotes a field holding a separator, a quote or a line break, doubling inner quotes (RFC 4180
/// section 2, rules 6 and 7); other fields stay bare.
fn quote(value: &str) -> Cow<'_, str> {
    if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures::{at, row, sample};
    use crate::token::Kind;

    /// The CSV text of `rows`, as [`crate::export::export`] makes it.
    fn write(rows: &(impl Listing + ?Sized)) -> String {
        crate::export::export(rows, crate::export::ExportFormat::Csv, at(2027, 1, 1, 0, 0))
    }

    /// A strict RFC 4180 reader, enough to read back what [`write`] made.
    fn read(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut field = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => {
                    assert!(field.is_empty(), "quote inside a bare field");
                    quoted = true;
                }
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'), "bare CR");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, '\n') => panic!("bare LF ends a record"),
                (false, c) => field.push(c),
            }
        }
        assert!(
            !quoted && field.is_empty() && record.is_empty(),
            "unterminated"
        );
        records
    }

    #[test]
    fn header_and_one_record_per_row() {
        let text = write(&sample());
        let records = read(&text);
        assert_eq!(records.len(), 5);
        assert_eq!(records[0], HEADER);
        assert!(records.iter().all(|r| r.len() == HEADER.len()));
        assert_eq!(
            text.split("\r\n").next(),
            Some(
                "client,portal,kind,kind_name,label,identity,apple_account,expires_at,days_left,state,reason,source,mdm_connection,mdm_vendor,mdm_expires_at"
            )
        );
    }

    #[test]
    fn fields_are_the_documented_ones() {
        let records = read(&write(&sample()));
        assert_eq!(
            records[1],
            [
                "Acme",
                "business",
                "push_certificate",
                "APNs push certificate",
                "",
                "com.apple.mgmt.External.0f6d1c2e-8a34-4f51-9d0a-3c1e2b4a5d6f",
                "it@acme.example",
                "2027-09-01T10:30:00Z",
                "193",
                "active",
                "",
                "file",
                "",
                "",
                "",
            ]
        );
        assert_eq!(
            records[2][..4],
            [
                "Lycée Victor Hugo",
                "school",
                "server_token",
                "ADE server token"
            ]
        );
        assert_eq!(records[2][9], "renewal_required");
        // Expired 3 days and 1 hour ago, rounded down: a bare negative number, no apostrophe.
        assert_eq!(
            records[3][6..10],
            ["", "2027-02-17T08:00:00Z", "-4", "expired"]
        );
        // Unknown expiry: empty date and days, an error with its reason.
        assert_eq!(records[4][7..9], ["", ""]);
        assert_eq!(records[4][9], "error");
        assert!(records[4][10].starts_with("expiry unknown"));
    }

    #[test]
    fn quotes_separators_quotes_and_line_breaks() {
        let mut tricky = row(
            "u",
            "Smith, Jones & \"Partners\"",
            Kind::ContentToken,
            "line one\r\nline two\nthree",
            "plain",
            Some(at(2027, 6, 1, 0, 0)),
        );
        tricky.apple_account = Some("semi;colon is fine".to_owned());
        let text = write(&[tricky]);
        assert!(text.contains("\"Smith, Jones & \"\"Partners\"\"\""));
        assert!(text.contains("\"line one\r\nline two\nthree\""));
        assert!(text.contains(",semi;colon is fine,"));
        assert!(text.contains(",plain,"));
        let records = read(&text);
        assert_eq!(records[1][0], "Smith, Jones & \"Partners\"");
        assert_eq!(records[1][4], "line one\r\nline two\nthree");
    }

    #[test]
    fn formulas_are_defused_but_day_counts_stay_numbers() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("a=1", "a=1"),
            ("", ""),
        ];
        for (client, expected) in cases {
            let mut lapsed = row(
                "u",
                client,
                Kind::PushCertificate,
                client,
                client,
                Some(at(2026, 12, 1, 0, 0)),
            );
            lapsed.apple_account = Some(client.to_owned());
            lapsed.status.reason = Some(client.to_owned());
            let records = read(&write(&[lapsed]));
            let fields = &records[1];
            for index in [0, 4, 5, 6, 10] {
                assert_eq!(fields[index], expected, "{client:?} in column {index}");
            }
            assert_eq!(fields[8], "-82", "days_left is a number, never defused");
        }
        // Only the first character matters: the quoted form still starts with the apostrophe.
        assert_eq!(quote(&defuse("=1,2")), "\"'=1,2\"");
    }
}
