//! JSON export: a pretty array with one object per credential, for scripts and other tools. The
//! field names and identifiers are the ones `status --json` uses, plus the credential's `uid`,
//! `portal`, `identity` and `apple_account`.

use chrono::{DateTime, Utc};
use std::io::Write;

use serde::Serialize;

use crate::mdm::{MdmView, Source};
use crate::report::{Listing, SummaryRef};
use crate::status::State;
use crate::summary::Portal;
use crate::token::Kind;

/// One exported credential. Its own type, not `CredentialSummary` itself, so the export's fields
/// stay fixed when the summary grows.
#[derive(Serialize)]
struct Row<'a> {
    uid: &'a str,
    client: &'a str,
    portal: Portal,
    kind: Kind,
    label: &'a str,
    identity: &'a str,
    apple_account: Option<&'a str>,
    expires_at: Option<DateTime<Utc>>,
    days_left: Option<i64>,
    state: State,
    reason: Option<&'a str>,
    source: Source,
    mdm: Option<&'a MdmView>,
}

impl<'a> From<SummaryRef<'a>> for Row<'a> {
    fn from(row: SummaryRef<'a>) -> Self {
        Row {
            uid: row.uid,
            client: row.client,
            portal: row.portal,
            kind: row.kind,
            label: row.label,
            identity: row.identity,
            apple_account: row.apple_account,
            expires_at: row.expires_at,
            days_left: row.status.days_left,
            state: row.status.state,
            reason: row.status.reason,
            source: row.source,
            mdm: row.mdm,
        }
    }
}

/// The JSON text of `rows`, with a final line break.
pub(super) fn write(
    w: &mut dyn std::io::Write,
    rows: &(impl Listing + ?Sized),
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(super::CHUNK, w);
    serde_json::to_writer_pretty(&mut out, &Every(rows)).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Every row of a listing as a JSON array, made one row at a time.
struct Every<'a, L: ?Sized>(&'a L);

impl<L: Listing + ?Sized> Serialize for Every<'_, L> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.rows().map(Row::from))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::export::fixtures::sample;
    use crate::status::UNKNOWN_EXPIRY;

    /// The JSON text of `rows`, as [`crate::export::export`] makes it.
    fn write(rows: &(impl Listing + ?Sized)) -> String {
        crate::export::export(rows, crate::export::ExportFormat::Json, Utc::now())
    }

    #[test]
    fn parses_back_with_the_documented_fields() {
        let text = write(&sample());
        assert!(text.starts_with("[\n  {\n"), "pretty printed");
        let value: Value = serde_json::from_str(&text).expect("valid JSON");
        let rows = value.as_array().expect("an array");
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[1],
            json!({
                "uid": "cred-ade-2",
                "client": "Lycée Victor Hugo",
                "portal": "school",
                "kind": "server_token",
                "label": "Main MDM",
                "identity": "CK_0123456789abcdef",
                "apple_account": "it@acme.example",
                "expires_at": "2027-03-04T12:00:00Z",
                "days_left": 12,
                "state": "renewal_required",
                "reason": null,
                "source": "file",
                "mdm": null,
            })
        );
        assert_eq!(rows[0]["kind"], "push_certificate");
        assert_eq!(rows[0]["state"], "active");
        assert_eq!(rows[2]["apple_account"], Value::Null);
        assert_eq!(rows[2]["days_left"], -4);
        assert_eq!(rows[2]["state"], "expired");
        assert_eq!(rows[3]["expires_at"], Value::Null);
        assert_eq!(rows[3]["days_left"], Value::Null);
        assert_eq!(rows[3]["state"], "error");
        assert_eq!(rows[3]["reason"], UNKNOWN_EXPIRY);
    }

    #[test]
    fn an_empty_list_is_an_empty_array() {
        assert_eq!(write(&[]), "[]\n");
    }
}
