use super::*;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("date")
}

#[test]
fn device_assignment_table() {
    let dep = |status, body: &str| device_assignment(status, body, None, now());
    assert_eq!(dep(200, "{}"), None);
    for (status, body, finding) in [
        (403, "T_C_NOT_SIGNED", Finding::TermsNotAccepted),
        (403, "\"T_C_NOT_SIGNED\"", Finding::TermsNotAccepted),
        (
            403,
            r#"{"code":"T_C_NOT_SIGNED","message":"..."}"#,
            Finding::TermsNotAccepted,
        ),
        (403, "ACCESS_DENIED", Finding::AccessDenied),
        (403, "\"access_denied\"", Finding::AccessDenied),
        (403, "FORBIDDEN", Finding::AccessDenied),
        (401, "UNAUTHORIZED", Finding::InvalidCredentials),
        (401, "", Finding::InvalidCredentials),
        (401, "oauth_problem=token_expired", Finding::Expired),
        (400, "\"token_expired\"", Finding::Expired),
        (401, "oauth_problem=token_rejected", Finding::Revoked),
        (401, "signature_invalid", Finding::Revoked),
        (400, "oauth_problem=signature_invalid", Finding::Revoked),
    ] {
        assert_eq!(dep(status, body), Some(finding), "{status} {body}");
    }
    assert!(matches!(
        dep(400, "oauth_problem=timestamp_refused"),
        Some(Finding::Unexpected { detail }) if detail.contains("clock")
    ));
    assert!(matches!(
        dep(404, "NOT_FOUND"),
        Some(Finding::Unexpected { detail }) if detail == "HTTP 404: NOT_FOUND"
    ));
    for status in [429, 500, 502, 503] {
        let f = dep(status, "busy").expect("finding");
        assert_eq!(f.code(), "busy");
        assert!(!f.is_problem());
        assert_eq!(f.retry_after(), Some(now() + DEFAULT_BACKOFF));
    }
}

#[test]
fn apps_and_books_table() {
    let vpp = |status, body: &str| apps_and_books(status, body, None, now());
    let ok = r#"{"locationName":"Main Street","uId":"1"}"#;
    assert_eq!(vpp(200, ok), None);
    for status in [200, 400, 401, 403, 500] {
        for (number, finding) in [
            (9621, Finding::Expired),
            (9622, Finding::InvalidCredentials),
            (9625, Finding::Revoked),
        ] {
            let body = format!(r#"{{"errorNumber": {number}, "errorMessage": "x"}}"#);
            assert_eq!(vpp(status, &body), Some(finding), "{status} {number}");
        }
    }
    assert_eq!(
        vpp(
            200,
            r#"{"errorNumber":9603,"errorMessage":"Internal error"}"#
        )
        .map(|f| f.code()),
        Some("busy")
    );
    assert!(matches!(
        vpp(200, r#"{"errorNumber":9600,"errorMessage":"Missing arg"}"#),
        Some(Finding::Unexpected { detail }) if detail == "error 9600: Missing arg"
    ));
    assert_eq!(vpp(401, "Unauthorized"), Some(Finding::InvalidCredentials));
    assert_eq!(vpp(503, "").map(|f| f.code()), Some("busy"));
    assert_eq!(vpp(404, "no").map(|f| f.code()), Some("unexpected"));
}

#[test]
fn retry_after_reads_seconds_and_dates() {
    assert_eq!(
        retry_after("120", now()),
        Some(now() + Duration::seconds(120))
    );
    assert_eq!(
        retry_after("Sat, 21 Nov 2026 12:30:00 GMT", now()),
        Some(now() + Duration::minutes(30))
    );
    assert_eq!(
        retry_after("Fri, 20 Nov 2026 12:30:00 GMT", now()),
        Some(now())
    );
    assert_eq!(retry_after("9999999", now()), Some(now() + MAX_BACKOFF));
    assert_eq!(retry_after("soon", now()), None);
    let f = device_assignment(429, "", Some("60"), now()).expect("busy");
    assert_eq!(f.retry_after(), Some(now() + Duration::seconds(60)));
}

#[test]
fn reasons_say_what_to_do_in_the_clients_portal() {
    let r = Finding::TermsNotAccepted.reason(Service::DeviceAssignment, Portal::Business);
    assert!(
        r.contains("an Administrator must accept the new terms at business.apple.com"),
        "{r}"
    );
    let r = Finding::Revoked.reason(Service::DeviceAssignment, Portal::School);
    assert!(r.contains("revoked or replaced by a newer download"), "{r}");
    assert!(r.contains("school.apple.com"), "{r}");
    let r = Finding::InvalidCredentials.reason(Service::AppsAndBooks, Portal::Business);
    assert!(r.contains("Payments and Billing"), "{r}");
    let r = Finding::Unreachable {
        detail: "timed out".to_owned(),
    }
    .reason(Service::AppsAndBooks, Portal::Business);
    assert!(r.starts_with("could not check"), "{r}");
    for f in [
        Finding::TermsNotAccepted,
        Finding::Revoked,
        Finding::Expired,
        Finding::InvalidCredentials,
        Finding::AccessDenied,
    ] {
        assert!(f.is_problem());
    }
}
