use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::status::{Thresholds, status};
use crate::summary::{CredentialSummary, Portal};
use crate::token::Kind;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
        .single()
        .expect("date")
}

fn cred(client: &str, label: &str, days: Option<i64>, error: Option<&str>) -> CredentialSummary {
    let expires_at = days.map(|d| now() + Duration::days(d) + Duration::hours(1));
    CredentialSummary {
        uid: format!("{client}-{label}"),
        client: client.to_owned(),
        portal: Portal::Business,
        kind: Kind::ServerToken,
        label: label.to_owned(),
        identity: "x".to_owned(),
        apple_account: None,
        expires_at,
        revision: 1,
        status: status(expires_at, error, now(), Thresholds::default()),
        renewal_window_days: 30,
        source: crate::mdm::Source::File,
        mdm: None,
    }
}

#[test]
fn nagios_codes_follow_the_worst_state() {
    let extras = Extras::default();
    let cases: [(Vec<CredentialSummary>, u8, &str); 6] = [
        (vec![], 0, "TOKENKEEPER OK - no credentials"),
        (
            vec![cred("Acme", "Main", Some(100), None)],
            0,
            "TOKENKEEPER OK - all 1",
        ),
        (
            vec![cred("Acme", "Main", Some(10), None)],
            1,
            "TOKENKEEPER WARNING - 1 need renewal",
        ),
        (
            vec![cred("Acme", "Main", Some(-3), None)],
            2,
            "TOKENKEEPER CRITICAL - 1 expired",
        ),
        (
            vec![cred("Acme", "Main", Some(-90), None)],
            2,
            "TOKENKEEPER CRITICAL",
        ),
        (
            vec![cred("Acme", "Main", Some(100), Some("revoked"))],
            2,
            "TOKENKEEPER CRITICAL",
        ),
    ];
    for (rows, code, start) in cases {
        let r = nagios(&rows, &extras);
        assert_eq!(r.code, code, "{}", r.line);
        assert!(r.line.starts_with(start), "{}", r.line);
        let (_, perf) = r.line.split_once(" | ").expect("perfdata");
        assert!(perf.contains(&format!("total={};", rows.len())), "{perf}");
        assert_eq!(r.line.matches('|').count(), 1, "{}", r.line);
        assert!(!r.line.contains('\n'));
    }
}

#[test]
fn a_pipe_in_a_name_does_not_break_the_perfdata() {
    let rows = [cred("Acme | Co", "Main\nStreet", Some(3), None)];
    let r = nagios(&rows, &Extras::default());
    assert_eq!(r.line.matches('|').count(), 1, "{}", r.line);
    assert!(r.line.contains("min_days_left=3;30:;0:;;"), "{}", r.line);
}

#[test]
fn prometheus_labels_are_escaped_and_every_state_has_a_series() {
    let rows = [cred("Acme \"West\"", "a\\b", Some(10), None)];
    let text = prometheus(&rows, &Extras::default());
    assert!(text.contains(r#"client="Acme \"West\"",kind="server_token",name="a\\b""#));
    assert_eq!(text.matches("tokenkeeper_credential_state{").count(), 5);
    assert!(text.contains(r#"state="renewal_required"} 1"#));
    assert!(text.contains("tokenkeeper_credential_remaining_seconds{"));
    assert!(text.ends_with('\n'));
}

#[test]
fn each_state_label_names_its_state() {
    // STATE_LABELS is written out beside State::ALL (no formatting per sample): in the same order.
    for (state, label) in State::ALL.iter().zip(super::STATE_LABELS) {
        assert_eq!(label, format!(",state=\"{}\"", state.id()));
    }
}
