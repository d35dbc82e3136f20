//! Every connector against its fake over TLS: the documented shapes with pagination, then every
//! way a console can fail, each a clear error of its own connection.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::json;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Notice, Vendor};
use tokenkeeper_mdm::testing::{
    FakeMdm, Reply, SECRET, TOPIC, VPP_TOKEN_VALUE, endpoint, test_ca_pem,
};
use tokenkeeper_mdm::{SyncError, fetch, fetch_many};

const T: Duration = Duration::from_secs(10);

fn kinds(held: &[Held]) -> Vec<Kind> {
    held.iter().map(|h| h.kind).collect()
}

fn no_secret_in(held: &[Held]) {
    let text = format!("{held:?}{}", serde_json::to_string(held).unwrap());
    assert!(
        !text.contains(SECRET) && !text.contains(VPP_TOKEN_VALUE),
        "{text}"
    );
}

#[test]
fn intune_reads_apns_dep_pages_and_vpp_without_the_token() {
    let fake = FakeMdm::start(Vendor::Intune);
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(
        kinds(&held),
        [
            Kind::PushCertificate,
            Kind::ServerToken,
            Kind::ServerToken,
            Kind::ContentToken
        ]
    );
    assert_eq!(held[0].topic.as_deref(), Some(TOPIC));
    assert_eq!(held[0].serial.as_deref(), Some("1a2b3c"));
    assert_eq!(
        held[2].server_name.as_deref(),
        Some("Harbour MDM"),
        "second page followed"
    );
    assert_eq!(held[3].location.as_deref(), Some("Main Street"));
    assert_eq!(held[3].notice, None);
    no_secret_in(&held);
    fake.assert_read_only();
    let calls = fake.calls();
    assert_eq!(calls[0], "POST /tenant-0001/oauth2/v2.0/token");
    assert_eq!(
        calls.iter().filter(|c| c.starts_with("POST")).count(),
        1,
        "{calls:?}"
    );
}

#[test]
fn intune_states_become_notices() {
    let fake = FakeMdm::start(Vendor::Intune);
    fake.remove("/v1.0/deviceManagement/applePushNotificationCertificate");
    fake.set(
        "/v1.0/deviceAppManagement/vppTokens",
        json!({"value": [
            {"organizationName": "Acme Inc", "state": "assignedToExternalMDM", "token": VPP_TOKEN_VALUE},
            {"organizationName": "Acme Inc", "state": "valid", "lastSyncStatus": "failed"}
        ]}),
    );
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(held[0].kind, Kind::ServerToken, "404 on APNs: none held");
    let vpp: Vec<&Held> = held
        .iter()
        .filter(|h| h.kind == Kind::ContentToken)
        .collect();
    assert_eq!(vpp[0].notice, Some(Notice::AssignedElsewhere));
    assert!(matches!(vpp[1].notice, Some(Notice::SyncFailed { .. })));
    no_secret_in(&held);
}

#[test]
fn jamf_reads_notifications_enrollments_and_locations_across_pages() {
    let fake = FakeMdm::start(Vendor::Jamf);
    let first: Vec<_> = (0..100)
        .map(|i| json!({"serverName": format!("Site {i}"), "tokenExpirationDate": "2027-05-01"}))
        .collect();
    fake.set(
        "/api/v1/device-enrollments?page=0&page-size=100",
        json!({"totalCount": 101, "results": first}),
    );
    fake.set(
        "/api/v1/device-enrollments?page=1&page-size=100",
        json!({"totalCount": 101, "results": [{"serverName": "Cupertino MDM", "orgName": "Acme Inc", "adminId": "admin@acme.example", "tokenExpirationDate": "2027-05-01"}]}),
    );
    let held = fetch(&fake.endpoint(), T).unwrap();
    let push: Vec<&Held> = held
        .iter()
        .filter(|h| h.kind == Kind::PushCertificate)
        .collect();
    assert_eq!(push.len(), 1);
    assert_eq!(push[0].notice, Some(Notice::ExpiresSoon));
    assert_eq!(push[0].expires_at, None, "Jamf publishes no push date");
    let ade: Vec<&Held> = held
        .iter()
        .filter(|h| h.kind == Kind::ServerToken)
        .collect();
    assert_eq!(ade.len(), 101);
    assert_eq!(ade[100].server_name.as_deref(), Some("Cupertino MDM"));
    assert!(
        ade.iter()
            .all(|h| h.notice == Some(Notice::TermsNotAccepted))
    );
    let vpp: Vec<&Held> = held
        .iter()
        .filter(|h| h.kind == Kind::ContentToken)
        .collect();
    assert_eq!(vpp[0].location.as_deref(), Some("Main Street"));
    fake.assert_read_only();
}

#[test]
fn fleet_kandji_simplemdm_and_jumpcloud_read_what_they_publish() {
    let fake = FakeMdm::start(Vendor::Fleet);
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(
        kinds(&held),
        [Kind::PushCertificate, Kind::ServerToken, Kind::ContentToken]
    );
    assert_eq!(
        held[0].topic.as_deref(),
        Some("0c1d2e3f-aaaa-bbbb-cccc-1234567890ab")
    );
    assert_eq!(held[0].serial.as_deref(), Some("1a2b3c"), "decimal 1715004");
    assert_eq!(held[1].org_name.as_deref(), Some("Acme Inc"));
    fake.assert_read_only();

    // Newer Fleet: ab_tokens.
    fake.remove("/api/v1/fleet/abm_tokens");
    fake.set(
        "/api/v1/fleet/ab_tokens",
        json!({"ab_tokens": [{"apple_id": "a@b.example", "org_name": "Acme Inc", "renew_date": "2027-05-01T00:00:00Z", "terms_expired": true}]}),
    );
    let held = fetch(&fake.endpoint(), T).unwrap();
    let ade = held.iter().find(|h| h.kind == Kind::ServerToken).unwrap();
    assert_eq!(ade.notice, Some(Notice::TermsNotAccepted));

    let fake = FakeMdm::start(Vendor::Kandji);
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(
        kinds(&held),
        [Kind::ServerToken, Kind::ServerToken],
        "next followed"
    );
    fake.assert_read_only();

    let fake = FakeMdm::start(Vendor::Simplemdm);
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(
        kinds(&held),
        [Kind::PushCertificate, Kind::ServerToken, Kind::ServerToken]
    );
    assert_eq!(held[0].apple_account.as_deref(), Some("admin@acme.example"));
    fake.assert_read_only();

    let fake = FakeMdm::start(Vendor::Jumpcloud);
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(kinds(&held), [Kind::PushCertificate, Kind::ServerToken]);
    assert_eq!(held[0].serial.as_deref(), Some("1a2b3c"));
    fake.assert_read_only();
}

#[test]
fn a_401_gets_one_new_token_and_one_retry_only() {
    let fake = FakeMdm::start(Vendor::Jamf);
    fake.expire_tokens();
    // The token got at the start expires after the first call.
    fake.script(
        "/api/v1/notifications",
        Reply::json(401, &json!({"error": "expired"})),
    );
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert!(!held.is_empty());
    let tokens = fake
        .calls()
        .iter()
        .filter(|c| c.starts_with("POST"))
        .count();
    assert_eq!(tokens, 2, "{:?}", fake.calls());

    fake.clear_requests();
    fake.script("/api/v1/notifications", Reply::json(401, &json!({})));
    fake.script("/api/v1/notifications", Reply::json(401, &json!({})));
    let e = fetch(&fake.endpoint(), T).unwrap_err();
    assert!(
        matches!(e, SyncError::Unauthorized { status: 401, .. }),
        "{e}"
    );
    assert_eq!(
        fake.calls().len(),
        4,
        "token, GET, token, GET: {:?}",
        fake.calls()
    );
    fake.assert_read_only();
}

#[test]
fn wrong_secrets_are_refused_without_echoing_them() {
    for vendor in Vendor::ALL {
        let fake = FakeMdm::start(vendor);
        let mut ep = fake.endpoint();
        ep.secret = "wrong-secret-value".to_owned().into();
        let e = fetch(&ep, T).unwrap_err();
        assert!(
            matches!(e, SyncError::Unauthorized { .. }),
            "{vendor:?}: {e}"
        );
        let text = format!("{e} {e:?} {ep:?}");
        assert!(
            !text.contains("wrong-secret-value") && !text.contains(SECRET),
            "{text}"
        );
        fake.assert_read_only();
    }
}

#[test]
fn busy_consoles_are_waited_for_once_briefly_or_reported() {
    let fake = FakeMdm::start(Vendor::Fleet);
    fake.script(
        "/api/v1/fleet/apns",
        Reply::json(429, &json!({})).header("Retry-After", "1"),
    );
    assert!(fetch(&fake.endpoint(), T).is_ok());
    fake.script(
        "/api/v1/fleet/apns",
        Reply::json(429, &json!({})).header("Retry-After", "120"),
    );
    let e = fetch(&fake.endpoint(), T).unwrap_err();
    assert_eq!(
        e,
        SyncError::Busy {
            retry_after: Some(120)
        }
    );
    assert!(e.to_string().contains("120 s"), "{e}");
}

#[test]
fn server_errors_timeouts_and_cut_answers_are_clear() {
    let fake = FakeMdm::start(Vendor::Kandji);
    fake.script(
        "/api/v1/integrations/apple/ade",
        Reply::json(503, &json!({})),
    );
    let e = fetch(&fake.endpoint(), T).unwrap_err();
    assert_eq!(e, SyncError::Server { status: 503 });

    fake.script("/api/v1/integrations/apple/ade", Reply::stall());
    let started = Instant::now();
    let e = fetch(&fake.endpoint(), Duration::from_secs(1)).unwrap_err();
    assert!(matches!(e, SyncError::Timeout { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));

    fake.script(
        "/api/v1/integrations/apple/ade",
        Reply::cut(r#"{"count": 1, "results": [{"server_name": "Cupertino MDM"}]}"#),
    );
    let e = fetch(&fake.endpoint(), T).unwrap_err();
    assert!(
        matches!(&e, SyncError::Network { detail } if detail.contains("before a full answer"))
            || matches!(e, SyncError::Malformed { .. }),
        "{e}"
    );
}

#[test]
fn malformed_and_truncated_json_are_refused_missing_extra_and_mistyped_fields_are_not() {
    let fake = FakeMdm::start(Vendor::Simplemdm);
    for (body, how) in [
        ("<html>gateway</html>", "not valid JSON"),
        (r#"{"data": {"attributes": {"apple_id": "a@b"#, "cut short"),
        (r#"{"data": 12}"#, "wrong type"),
    ] {
        fake.script("/api/v1/push_certificate", Reply::new(200, body));
        let e = fetch(&fake.endpoint(), T).unwrap_err();
        match &e {
            SyncError::Malformed { path, detail } => {
                assert_eq!(path, "/api/v1/push_certificate");
                assert!(detail.contains(how), "{detail}");
                assert!(
                    !e.to_string().contains("a@b"),
                    "never quotes the answer: {e}"
                );
            }
            other => panic!("{body}: {other}"),
        }
    }
    // A value of another type than documented is an unknown value, not a guess.
    fake.set(
        "/api/v1/push_certificate",
        json!({"data": {"attributes": {"apple_id": ["x"], "expires_at": "2026-12-20T10:00:00Z"}}}),
    );
    assert_eq!(fetch(&fake.endpoint(), T).unwrap()[0].apple_account, None);
    // Missing fields: nothing known, nothing invented; extra fields: ignored.
    fake.set(
        "/api/v1/push_certificate",
        json!({"data": {"attributes": {"expires_at": "2026-12-20T10:00:00Z", "new_field": {"x": 1}}}}),
    );
    fake.set(
        "/api/v1/dep_servers?limit=100",
        json!({"data": [{"id": 3, "attributes": {}}], "has_more": false, "extra": true}),
    );
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(held[0].apple_account, None);
    assert_eq!(held[1].server_name, None);
    assert_eq!(held[1].expires_at, None);
}

#[test]
fn multi_megabyte_answers_are_read_up_to_the_limit_and_refused_past_it() {
    let fake = FakeMdm::start(Vendor::Intune);
    // 3 MB of documented fields and padding: read.
    let many: Vec<_> = (0..3000)
        .map(|i| json!({"organizationName": format!("Org {i}"), "state": "valid", "token": VPP_TOKEN_VALUE, "padding": "x".repeat(1000)}))
        .collect();
    fake.set(
        "/v1.0/deviceAppManagement/vppTokens",
        json!({"value": many}),
    );
    let held = fetch(&fake.endpoint(), T).unwrap();
    assert_eq!(
        held.iter().filter(|h| h.kind == Kind::ContentToken).count(),
        3000
    );
    no_secret_in(&held);
    // 12 MB: refused.
    let huge = format!(
        r#"{{"value": [], "padding": "{}"}}"#,
        "x".repeat(12 * 1024 * 1024)
    );
    fake.script(
        "/v1.0/deviceAppManagement/vppTokens",
        Reply::new(200, &huge),
    );
    let e = fetch(&fake.endpoint(), T).unwrap_err();
    assert!(matches!(e, SyncError::TooLarge { .. }), "{e}");
}

#[test]
fn next_links_never_leave_the_console() {
    let fake = FakeMdm::start(Vendor::Intune);
    fake.set(
        "/v1.0/deviceAppManagement/vppTokens",
        json!({"value": [], "@odata.nextLink": "https://evil.example/v1.0/deviceAppManagement/vppTokens?x=1"}),
    );
    let e = fetch(&fake.endpoint(), T).unwrap_err();
    assert!(matches!(e, SyncError::Settings { .. }), "{e}");
    assert!(!fake.calls().iter().any(|c| c.contains("evil")));
}

#[test]
fn an_untrusted_certificate_is_a_tls_failure() {
    let fake = FakeMdm::start(Vendor::Fleet);
    let mut ep = fake.endpoint();
    ep.ca_pem = None;
    let e = fetch(&ep, T).unwrap_err();
    assert!(
        matches!(&e, SyncError::Network { detail } if detail.contains("TLS")),
        "{e}"
    );
    ep.ca_pem = Some("not a certificate".to_owned());
    assert!(matches!(
        fetch(&ep, T).unwrap_err(),
        SyncError::Settings { .. }
    ));
    assert!(test_ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn many_connections_each_get_their_own_result() {
    let fleet = FakeMdm::start(Vendor::Fleet);
    let jamf = FakeMdm::start(Vendor::Jamf);
    let mut bad = jamf.endpoint();
    bad.secret = "nope".to_owned().into();
    let jobs = vec![
        ("fleet", fleet.endpoint()),
        ("hang", endpoint(Vendor::Fleet, &fleet.tenant_url("hang-1"))),
        ("jamf-bad", bad),
        ("jamf", jamf.endpoint()),
        ("tenant", endpoint(Vendor::Fleet, &fleet.tenant_url("b"))),
    ];
    let started = Instant::now();
    let results = fetch_many(jobs, 2, Duration::from_secs(2));
    let names: Vec<&str> = results.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["fleet", "hang", "jamf-bad", "jamf", "tenant"]);
    assert!(results[0].1.is_ok());
    assert!(matches!(results[1].1, Err(SyncError::Timeout { .. })));
    assert!(matches!(results[2].1, Err(SyncError::Unauthorized { .. })));
    assert!(results[3].1.is_ok());
    assert!(results[4].1.is_ok());
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}
