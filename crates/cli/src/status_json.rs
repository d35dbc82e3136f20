//! `status --json` written straight to the output, row by row, as serde_json's pretty printer
//! would write the same rows (the output is byte-identical; the tests compare it with serde's):
//! at 100,000 credentials serde's map machinery was 29% of the command (callgrind), most of it
//! in writing the nine keys and escaping strings that need no escape.

use std::io::{self, Write};

use tokenkeeper_core::Listing;

/// Writes `rows` as a pretty-printed JSON array with a final newline.
///
/// # Errors
/// Writing failed (a closed pipe).
pub fn write(out: &mut impl Write, rows: &(impl Listing + ?Sized)) -> io::Result<()> {
    if rows.count() == 0 {
        return out.write_all(b"[]\n");
    }
    let mut line = Vec::with_capacity(512);
    out.write_all(b"[")?;
    for (i, r) in rows.rows().enumerate() {
        line.clear();
        line.extend_from_slice(if i == 0 { b"\n  {" } else { b",\n  {" });
        field(&mut line, "client", true);
        string(&mut line, r.client)?;
        field(&mut line, "kind", false);
        id(&mut line, r.kind.id());
        field(&mut line, "label", false);
        string(&mut line, r.label)?;
        field(&mut line, "expires_at", false);
        match r.expires_at {
            Some(at) => crate::status::rfc3339_json(&mut line, at)?,
            None => line.extend_from_slice(b"null"),
        }
        field(&mut line, "days_left", false);
        match r.status.days_left {
            Some(d) => write!(line, "{d}")?,
            None => line.extend_from_slice(b"null"),
        }
        field(&mut line, "state", false);
        id(&mut line, r.status.state.id());
        field(&mut line, "reason", false);
        match &r.status.reason {
            Some(reason) => string(&mut line, reason)?,
            None => line.extend_from_slice(b"null"),
        }
        field(&mut line, "source", false);
        id(&mut line, r.source.id());
        field(&mut line, "mdm", false);
        match &r.mdm {
            // Rare (an MDM's view): serde's own pretty printer, indented two levels deeper.
            Some(view) => {
                let nested = serde_json::to_vec_pretty(view).map_err(io::Error::other)?;
                for &b in &nested {
                    line.push(b);
                    if b == b'\n' {
                        line.extend_from_slice(b"    ");
                    }
                }
            }
            None => line.extend_from_slice(b"null"),
        }
        line.extend_from_slice(b"\n  }");
        out.write_all(&line)?;
    }
    out.write_all(b"\n]\n")
}

/// `"key": ` on its own line, four spaces in, after a comma unless it is the first.
fn field(line: &mut Vec<u8>, key: &str, first: bool) {
    line.extend_from_slice(if first { b"\n    \"" } else { b",\n    \"" });
    line.extend_from_slice(key.as_bytes());
    line.extend_from_slice(b"\": ");
}

/// A string as serde_json writes it: copied whole when nothing in it needs escaping.
fn string(line: &mut Vec<u8>, s: &str) -> io::Result<()> {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        return serde_json::to_writer(line, s).map_err(io::Error::other);
    }
    line.push(b'"');
    line.extend_from_slice(s.as_bytes());
    line.push(b'"');
    Ok(())
}

/// An enum's identifier, which is its serde name (a test holds them equal): through serde's
/// writer, the three per row were a ninth of the command's instructions (callgrind).
fn id(line: &mut Vec<u8>, id: &str) {
    line.push(b'"');
    line.extend_from_slice(id.as_bytes());
    line.push(b'"');
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{DateTime, TimeZone, Utc};
    use serde::Serialize;
    use tokenkeeper_core::mdm::{MdmView, Source, Vendor};
    use tokenkeeper_core::{CredentialSummary, Kind, Portal, State, Status};

    #[test]
    fn identifiers_are_serde_names() {
        for k in Kind::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.id())
            );
        }
        for s in [
            State::Active,
            State::RenewalRequired,
            State::Expired,
            State::Lapsed,
            State::Error,
        ] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.id())
            );
        }
        for s in [Source::File, Source::Mdm, Source::Both] {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.id())
            );
        }
    }

    /// The row as the command-line contract names its fields, through serde: the reference.
    #[derive(Serialize)]
    struct Row<'a> {
        client: &'a str,
        kind: Kind,
        label: &'a str,
        #[serde(serialize_with = "date")]
        expires_at: Option<DateTime<Utc>>,
        days_left: Option<i64>,
        state: State,
        reason: Option<&'a str>,
        source: Source,
        mdm: Option<&'a MdmView>,
    }

    fn date<S: serde::Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_some(at),
            None => s.serialize_none(),
        }
    }

    fn serde_reference(rows: &[CredentialSummary]) -> Vec<u8> {
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
                mdm: r.mdm.as_deref(),
            })
            .collect();
        let mut out = serde_json::to_vec_pretty(&json).unwrap();
        out.push(b'\n');
        out
    }

    fn row(client: &str, label: &str, expires_at: Option<DateTime<Utc>>) -> CredentialSummary {
        CredentialSummary {
            uid: "u".to_owned(),
            client: client.to_owned(),
            portal: Portal::Business,
            kind: Kind::ContentToken,
            label: label.to_owned(),
            identity: String::new(),
            apple_account: None,
            expires_at,
            revision: 1,
            status: Status {
                state: State::Active,
                days_left: expires_at.map(|_| 12),
                reason: None,
            },
            renewal_window_days: 30,
            source: Source::File,
            mdm: None,
        }
    }

    #[test]
    fn written_as_serde_writes_it() {
        let at = Utc.with_ymd_and_hms(2027, 3, 16, 9, 0, 0).unwrap();
        let mut rows = [
            row("Acme", "Main Street", Some(at)),
            row(
                "Quote \"and\" back\\slash",
                "tab\there\nnew line \u{1}",
                None,
            ),
            row(
                "Zürich ÄÖÜ 東京 😀",
                "</script> & 'x'",
                Some(at + chrono::Duration::nanoseconds(5)),
            ),
            row(
                "Far",
                "future",
                Some(Utc.with_ymd_and_hms(12026, 1, 2, 3, 4, 5).unwrap()),
            ),
        ];
        rows[1].kind = Kind::ServerToken;
        rows[1].status = Status {
            state: State::Error,
            days_left: Some(-400),
            reason: Some("the MDM holds \"another\" token".to_owned()),
        };
        rows[2].kind = Kind::PushCertificate;
        rows[2].source = Source::Both;
        rows[2].mdm = Some(Box::new(MdmView {
            connection: "Intune \"prod\"".to_owned(),
            vendor: Vendor::Intune,
            expires_at: Some(at),
            synced_at: at,
        }));
        rows[3].status.state = State::Lapsed;
        for n in 0..=rows.len() {
            let mut mine = Vec::new();
            super::write(&mut mine, &rows[..n]).unwrap();
            assert_eq!(
                String::from_utf8(mine).unwrap(),
                String::from_utf8(serde_reference(&rows[..n])).unwrap(),
                "{n} rows"
            );
        }
    }
}
