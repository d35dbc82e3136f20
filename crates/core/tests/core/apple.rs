//! Health checks at Apple against the fake Apple server on 127.0.0.1: every success and failure
//! DOMAIN.md describes, the OAuth signature verified by the fake from RFC 5849, the read-only
//! rule (only `GET /session`, `GET /account`, `GET client/config` are ever called), results
//! recorded (state, reason, audit log, schedule), and no secret anywhere.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use tokenkeeper_core::apple::AppleEndpoints;
use tokenkeeper_core::testing::fake_apple::{FakeApple, Reply, client_config, sample_account};
use tokenkeeper_core::testing::{
    CONTENT_SECRET_MARKER, ContentTokenSpec, KeyPair, PushCertificateSpec, SECRET_MARKERS,
    ServerTokenSpec, TestCa, abm_certificate, pem, random_topic,
};
use tokenkeeper_core::vault::{CheckResult, CheckSchedule, Confirmation, EventFilter, Outcome};
use tokenkeeper_core::{Portal, State};
use zeroize::Zeroizing;

use super::vault::{Env, now, req};

const CONFIG_PATH: &str = "/mdm/v2/client/config";

fn endpoints(fake: &FakeApple) -> AppleEndpoints {
    fake.endpoints(StdDuration::from_secs(5))
}

/// Adds `client` and imports an ADE token with consumer key `ck`, known to the fake.
fn ade(env: &mut Env, fake: &FakeApple, client: &str, ck: &str) -> String {
    if env.vault.client(client).is_err() {
        env.vault
            .add_client(client, Portal::Business, "", now())
            .unwrap();
    }
    let key = KeyPair::shared(1);
    let cert = abm_certificate(key, "Acme MDM", 12);
    let spec = ServerTokenSpec::new(ck, now() + Duration::days(200));
    fake.add_server_token(&spec, sample_account());
    let mut r = req(client, spec.build(&cert));
    r.key = Some(Zeroizing::new(key.pkcs1_pem()));
    r.label = Some(format!("ADE {ck}"));
    env.vault
        .import(&r, Confirmation::default(), now())
        .unwrap()
        .uid
}

/// Adds `client` and imports a content token for `org`; returns its uid and file.
fn vpp(env: &mut Env, client: &str, org: &str, expires: DateTime<Utc>) -> (String, Vec<u8>) {
    if env.vault.client(client).is_err() {
        env.vault
            .add_client(client, Portal::Business, "", now())
            .unwrap();
    }
    let mut spec = ContentTokenSpec::new(org, expires);
    spec.token = format!("{CONTENT_SECRET_MARKER}-{client}-{org}");
    let file = spec.build();
    let uid = env
        .vault
        .import(&req(client, file.clone()), Confirmation::default(), now())
        .unwrap()
        .uid;
    (uid, file)
}

fn state_of(env: &Env, uid: &str) -> (State, Option<String>) {
    let row = env
        .vault
        .summaries(now())
        .unwrap()
        .into_iter()
        .find(|s| s.uid == uid)
        .unwrap();
    (row.status.state, row.status.reason)
}

fn only(results: Vec<CheckResult>) -> CheckResult {
    assert_eq!(results.len(), 1, "{results:?}");
    results.into_iter().next().unwrap()
}

#[test]
fn ade_check_records_server_organisation_and_admin() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let uid = ade(&mut env, &fake, "Acme", "CK_acme");
    let r = only(env.vault.check_all(now(), &endpoints(&fake)).unwrap());
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    assert_eq!(r.uid, uid);
    assert_eq!(r.details.server_name.as_deref(), Some("dev"));
    assert_eq!(
        r.details.server_uuid.as_deref(),
        Some("6666ED66666666666666666666666666")
    );
    assert_eq!(r.details.org_name.as_deref(), Some("Acme, Inc"));
    assert_eq!(r.details.admin_id.as_deref(), Some("apple-dep@acme.co"));
    assert_eq!(fake.calls(), ["GET /session", "GET /account"]);
    fake.assert_read_only();
    // The signature is over the exact URL and carries the protocol header too.
    let session = &fake.requests()[0];
    assert!(
        session
            .header("authorization")
            .unwrap()
            .starts_with("OAuth ")
    );
    assert_eq!(session.header("x-server-protocol-version"), Some("3"));

    let last = env.vault.last_checks().unwrap();
    assert_eq!(last, vec![r.clone()]);
    let checked = env
        .vault
        .events(&EventFilter {
            kinds: vec!["checked".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(checked.len(), 1);
    assert!(
        checked[0].message.contains("\"dev\""),
        "{}",
        checked[0].message
    );
    assert!(checked[0].message.contains("apple-dep@acme.co"));
    // The Apple Account that generated the token is now on record.
    let row = env.vault.summaries(now()).unwrap().remove(0);
    assert_eq!(row.apple_account.as_deref(), Some("apple-dep@acme.co"));
    assert_eq!(row.status.state, State::Active);
}

#[test]
fn a_wrong_signature_is_caught_by_the_fake_server() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    ade(&mut env, &fake, "Acme", "CK_acme");
    // Apple holds another consumer secret than the token's: the signature cannot verify.
    fake.add_oauth(
        "CK_acme",
        "CS_other",
        SECRET_MARKERS[1],
        SECRET_MARKERS[2],
        sample_account(),
    );
    let r = only(env.vault.check_all(now(), &endpoints(&fake)).unwrap());
    assert_eq!(fake.requests()[0].oauth_valid, Some(false));
    assert_eq!(fake.calls(), ["GET /session"]);
    assert_eq!(r.outcome, Outcome::Problem);
    assert_eq!(r.details.finding.as_deref(), Some("revoked"));
}

#[test]
fn device_assignment_failures_map_to_reasons_and_clear_on_success() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let uid = ade(&mut env, &fake, "Acme", "CK_acme");
    let ep = endpoints(&fake);
    let cases: Vec<(&str, Reply, Outcome, &str, &str)> = vec![
        (
            "/session",
            Reply::new(403, "T_C_NOT_SIGNED"),
            Outcome::Problem,
            "terms_not_accepted",
            "an Administrator must accept the new terms at business.apple.com",
        ),
        (
            "/account",
            Reply::new(403, "\"T_C_NOT_SIGNED\""),
            Outcome::Problem,
            "terms_not_accepted",
            "an Administrator must accept the new terms at business.apple.com",
        ),
        (
            "/account",
            Reply::json(403, &json!({"code": "ACCESS_DENIED", "message": "denied"})),
            Outcome::Problem,
            "access_denied",
            "denied access",
        ),
        (
            "/session",
            Reply::new(401, "oauth_problem=token_expired"),
            Outcome::Problem,
            "expired",
            "has expired",
        ),
        (
            "/session",
            Reply::new(401, "\"token_rejected\""),
            Outcome::Problem,
            "revoked",
            "revoked or replaced by a newer download",
        ),
        (
            "/session",
            Reply::new(400, "oauth_problem=signature_invalid"),
            Outcome::Problem,
            "revoked",
            "revoked or replaced by a newer download",
        ),
        (
            "/session",
            Reply::new(401, "UNAUTHORIZED"),
            Outcome::Problem,
            "invalid_credentials",
            "expired or no longer valid",
        ),
        (
            "/session",
            Reply::new(400, "oauth_problem=parameter_absent"),
            Outcome::CouldNotCheck,
            "unexpected",
            "could not check",
        ),
        (
            "/account",
            Reply::new(503, "Service Unavailable"),
            Outcome::CouldNotCheck,
            "busy",
            "busy",
        ),
    ];
    let mut at = now();
    for (path, reply, outcome, finding, reason) in cases {
        fake.clear_requests();
        fake.script(path, reply);
        let r = env.vault.check(&uid, at, &ep).unwrap();
        assert_eq!(
            (r.outcome, r.details.finding.as_deref()),
            (outcome, Some(finding)),
            "{path} {r:?}"
        );
        let text = r.reason.clone().unwrap();
        assert!(text.contains(reason), "{text}");
        let (state, why) = state_of(&env, &uid);
        if outcome == Outcome::Problem {
            // An Error at once, with the reason.
            assert_eq!((state, why.as_deref()), (State::Error, Some(text.as_str())));
        } else {
            // Could not check: the state is untouched.
            assert_eq!(state, State::Active, "{why:?}");
        }
        fake.assert_read_only();
        // Leave the busy period, then a good check clears the Error.
        at += Duration::days(1);
        let ok = env.vault.check(&uid, at, &ep).unwrap();
        assert_eq!(ok.outcome, Outcome::Ok, "{ok:?}");
        assert_eq!(state_of(&env, &uid), (State::Active, None));
        at += Duration::minutes(1);
    }
    let failed = env
        .vault
        .events(&EventFilter {
            kinds: vec!["check_failed".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failed.len(), 9);
    let changes = env
        .vault
        .events(&EventFilter {
            kinds: vec!["state_changed".into()],
            ..Default::default()
        })
        .unwrap();
    assert!(changes.iter().any(|e| e.message.starts_with("now Error")));
}

#[test]
fn a_rotated_session_header_is_used() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    ade(&mut env, &fake, "Acme", "CK_acme");
    fake.rotate_sessions(true);
    let r = only(env.vault.check_all(now(), &endpoints(&fake)).unwrap());
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    let account = &fake.requests()[1];
    assert!(
        account
            .header("x-adm-auth-session")
            .unwrap()
            .starts_with("rotated-"),
        "{account:?}"
    );
    fake.assert_read_only();
}

#[test]
fn a_401_leads_to_exactly_one_new_session() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let uid = ade(&mut env, &fake, "Acme", "CK_acme");
    let ep = endpoints(&fake);
    fake.script("/account", Reply::new(401, "UNAUTHORIZED"));
    let r = env.vault.check(&uid, now(), &ep).unwrap();
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    assert_eq!(
        fake.calls(),
        [
            "GET /session",
            "GET /account",
            "GET /session",
            "GET /account"
        ]
    );
    fake.assert_read_only();

    // Refused again after the new session: no third session, the token is in Error.
    fake.clear_requests();
    fake.script("/account", Reply::new(401, "UNAUTHORIZED"));
    fake.script("/account", Reply::new(401, "UNAUTHORIZED"));
    let r = env.vault.check(&uid, now(), &ep).unwrap();
    assert_eq!(r.details.finding.as_deref(), Some("invalid_credentials"));
    assert_eq!(
        fake.calls(),
        [
            "GET /session",
            "GET /account",
            "GET /session",
            "GET /account"
        ]
    );
    assert_eq!(state_of(&env, &uid).0, State::Error);

    // A renewal clears the Error too.
    let spec = ServerTokenSpec::new("CK_acme", now() + Duration::days(365));
    let file = spec.build(&abm_certificate(KeyPair::shared(1), "Acme MDM", 12));
    let renewed = env
        .vault
        .import(&req("Acme", file), Confirmation::default(), now())
        .unwrap();
    assert_eq!(renewed.uid, uid);
    assert_eq!(state_of(&env, &uid), (State::Active, None));
}

#[test]
fn retry_after_is_honoured() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    ade(&mut env, &fake, "Acme", "CK_a");
    ade(&mut env, &fake, "Acme", "CK_b");
    let ep = endpoints(&fake);
    fake.script(
        "/session",
        Reply::new(429, "Too Many Requests").header("Retry-After", "120"),
    );
    let results = env.vault.check_all(now(), &ep).unwrap();
    assert_eq!(results.len(), 2);
    for r in &results {
        assert_eq!(r.outcome, Outcome::CouldNotCheck, "{r:?}");
        assert_eq!(r.retry_after, Some(now() + Duration::seconds(120)));
        assert!(r.reason.as_deref().unwrap().contains("busy"), "{r:?}");
        assert_eq!(state_of(&env, &r.uid).0, State::Active);
    }
    // The second token was not tried: Apple asked to wait.
    assert_eq!(fake.calls(), ["GET /session"]);
    // Still inside the wait: no call at all.
    let again = env
        .vault
        .check_all(now() + Duration::seconds(60), &ep)
        .unwrap();
    assert!(again.iter().all(|r| r.outcome == Outcome::CouldNotCheck));
    assert_eq!(fake.calls().len(), 1);
    // The schedule honours it too.
    env.vault
        .set_check_schedule(
            CheckSchedule {
                enabled: true,
                interval_hours: 24,
            },
            now(),
        )
        .unwrap();
    let next = env.vault.next_scheduled_check(now()).unwrap().unwrap();
    assert!(next >= now() + Duration::seconds(120), "{next}");
    // After the wait, Apple is asked again.
    let later = env
        .vault
        .check_all(now() + Duration::seconds(121), &ep)
        .unwrap();
    assert!(later.iter().all(|r| r.outcome == Outcome::Ok), "{later:?}");
    fake.assert_read_only();
}

#[test]
fn a_stalled_connection_times_out_as_could_not_check() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let uid = ade(&mut env, &fake, "Acme", "CK_acme");
    fake.script("/account", Reply::stall());
    let started = Instant::now();
    let r = env
        .vault
        .check(&uid, now(), &fake.endpoints(StdDuration::from_secs(1)))
        .unwrap();
    assert!(
        started.elapsed() < StdDuration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.outcome, Outcome::CouldNotCheck, "{r:?}");
    assert_eq!(r.details.finding.as_deref(), Some("unreachable"));
    assert!(
        r.reason.as_deref().unwrap().contains("no answer within"),
        "{r:?}"
    );
    assert_eq!(state_of(&env, &uid).0, State::Active);
}

#[test]
fn apple_unreachable_is_not_an_error() {
    let mut env = Env::new();
    let fake = FakeApple::start();
    let uid = ade(&mut env, &fake, "Acme", "CK_acme");
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let ep = AppleEndpoints {
        device_assignment: format!("http://127.0.0.1:{port}"),
        apps_and_books: format!("http://127.0.0.1:{port}/mdm/v2"),
        timeout: StdDuration::from_secs(2),
    };
    let r = env.vault.check(&uid, now(), &ep).unwrap();
    assert_eq!(r.outcome, Outcome::CouldNotCheck, "{r:?}");
    assert!(
        r.reason
            .as_deref()
            .unwrap()
            .contains("could not be reached"),
        "{r:?}"
    );
    assert_eq!(state_of(&env, &uid), (State::Active, None));
}

#[test]
fn apps_and_books_check_records_location_and_mdm() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let expires = now() + Duration::days(300);
    let (uid, file) = vpp(&mut env, "Acme", "Acme Inc", expires);
    fake.add_content_token(
        &file,
        client_config("Main Street", "2049025000431439", expires, Some("Fleet")),
    );
    let r = only(env.vault.check_all(now(), &endpoints(&fake)).unwrap());
    assert_eq!(r.outcome, Outcome::Ok, "{r:?}");
    assert_eq!(r.uid, uid);
    assert_eq!(r.details.location_name.as_deref(), Some("Main Street"));
    assert_eq!(r.details.uid.as_deref(), Some("2049025000431439"));
    assert_eq!(r.details.apple_expires_at, Some(expires));
    assert_eq!(r.details.mdm_info.as_ref().unwrap()["name"], "Fleet");
    assert!(r.details.warnings.is_empty(), "{r:?}");
    assert_eq!(fake.calls(), [format!("GET {CONFIG_PATH}")]);
    let auth = fake.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert_eq!(auth, format!("Bearer {}", String::from_utf8(file).unwrap()));
    fake.assert_read_only();
}

#[test]
fn apps_and_books_errors_are_read_from_the_body_even_with_http_200() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let expires = now() + Duration::days(300);
    let (uid, file) = vpp(&mut env, "Acme", "Acme Inc", expires);
    fake.add_content_token(&file, client_config("Main Street", "1", expires, None));
    let ep = endpoints(&fake);
    let mut at = now();
    for (status, number, outcome, finding, reason) in [
        (200, 9621, Outcome::Problem, "expired", "has expired"),
        (
            200,
            9622,
            Outcome::Problem,
            "invalid_credentials",
            "is invalid",
        ),
        (200, 9625, Outcome::Problem, "revoked", "was revoked"),
        (401, 9625, Outcome::Problem, "revoked", "was revoked"),
        (200, 9603, Outcome::CouldNotCheck, "busy", "busy"),
    ] {
        fake.script(
            CONFIG_PATH,
            Reply::json(
                status,
                &json!({"errorNumber": number, "errorMessage": "from Apple"}),
            ),
        );
        let r = env.vault.check(&uid, at, &ep).unwrap();
        assert_eq!(
            (r.outcome, r.details.finding.as_deref()),
            (outcome, Some(finding)),
            "{status} {number}"
        );
        assert!(r.reason.as_deref().unwrap().contains(reason), "{r:?}");
        assert_eq!(
            state_of(&env, &uid).0 == State::Error,
            outcome == Outcome::Problem
        );
        at += Duration::days(1);
        assert_eq!(env.vault.check(&uid, at, &ep).unwrap().outcome, Outcome::Ok);
        assert_eq!(state_of(&env, &uid), (State::Active, None));
        at += Duration::minutes(1);
    }
    fake.assert_read_only();
}

#[test]
fn apps_and_books_warnings_for_one_location_twice_and_a_different_expiry() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let expires = now() + Duration::days(300);
    let (_, a) = vpp(&mut env, "Acme", "Acme Inc", expires);
    let (b_uid, b) = vpp(&mut env, "Globex", "Globex Inc", expires);
    fake.add_content_token(&a, client_config("Main Street", "42", expires, None));
    // Same location uId, and Apple's expiry is a month later than the file's.
    fake.add_content_token(
        &b,
        client_config("Main Street", "42", expires + Duration::days(30), None),
    );
    let results = env.vault.check_all(now(), &endpoints(&fake)).unwrap();
    assert_eq!(results.len(), 2);
    let b_result = results.iter().find(|r| r.uid == b_uid).unwrap();
    assert_eq!(b_result.outcome, Outcome::Ok);
    let warnings = b_result.details.warnings.join("\n");
    assert!(
        warnings.contains("Acme") && warnings.contains("same location (uId 42)"),
        "{warnings}"
    );
    assert!(warnings.contains("differs from the file"), "{warnings}");
    // Warnings do not change the state.
    assert_eq!(state_of(&env, &b_uid).0, State::Active);
}

#[test]
fn no_secret_reaches_results_the_database_or_the_log() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    let dep_uid = ade(&mut env, &fake, "Acme", "CK_acme");
    let expires = now() + Duration::days(300);
    let (vpp_uid, file) = vpp(&mut env, "Acme", "Acme Inc", expires);
    let bearer = String::from_utf8(file.clone()).unwrap();
    // Apple's error bodies echo the credentials back.
    fake.script(
        "/session",
        Reply::new(
            400,
            &format!(
                "oauth_problem=parameter_rejected&token={}",
                SECRET_MARKERS[1]
            ),
        ),
    );
    fake.script(
        CONFIG_PATH,
        Reply::json(
            200,
            &json!({"errorNumber": 9600, "errorMessage": format!("bad {bearer}")}),
        ),
    );
    let results = env.vault.check_all(now(), &endpoints(&fake)).unwrap();
    assert_eq!(results.len(), 2);
    let mut seen = serde_json::to_string(&results).unwrap();
    seen.push_str(&format!("{results:?}"));
    seen.push_str(&serde_json::to_string(&env.vault.last_checks().unwrap()).unwrap());
    seen.push_str(&format!(
        "{:?}",
        env.vault.events(&EventFilter::default()).unwrap()
    ));
    assert!(seen.contains("[redacted]"), "{seen}");
    let db = crate::backend::stored_bytes(&env.dir.path().join("tk.db"));
    let db = String::from_utf8_lossy(&db);
    for secret in SECRET_MARKERS.iter().chain([&CONTENT_SECRET_MARKER]) {
        assert!(!seen.contains(secret), "{secret} in {seen}");
        assert!(!db.contains(secret), "{secret} in the database");
    }
    assert!(!seen.contains(&bearer) && !db.contains(&bearer));
    assert!(!db.contains("session-"), "a session token was stored");
    let _ = (dep_uid, vpp_uid);
}

#[test]
fn the_schedule_is_opt_in_daily_and_checks_only_what_is_due() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    ade(&mut env, &fake, "Acme", "CK_acme");
    let ep = endpoints(&fake);
    assert_eq!(
        env.vault.check_schedule().unwrap(),
        CheckSchedule::default()
    );
    assert!(!CheckSchedule::default().enabled);
    assert_eq!(env.vault.next_scheduled_check(now()).unwrap(), None);
    assert!(env.vault.check_due(now(), &ep).unwrap().is_empty());
    assert!(fake.calls().is_empty());

    env.vault
        .set_check_schedule(
            CheckSchedule {
                enabled: true,
                ..CheckSchedule::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(env.vault.check_schedule().unwrap().interval_hours, 24);
    // Never checked: due at once.
    assert_eq!(env.vault.next_scheduled_check(now()).unwrap(), Some(now()));
    assert_eq!(env.vault.check_due(now(), &ep).unwrap().len(), 1);
    assert_eq!(
        env.vault.next_scheduled_check(now()).unwrap(),
        Some(now() + Duration::hours(24))
    );
    fake.clear_requests();
    assert!(
        env.vault
            .check_due(now() + Duration::hours(1), &ep)
            .unwrap()
            .is_empty()
    );
    assert!(fake.calls().is_empty());
    assert_eq!(
        env.vault
            .check_due(now() + Duration::hours(24), &ep)
            .unwrap()
            .len(),
        1
    );
    // Apple unreachable: tried again an hour later, not a day.
    fake.script("/session", Reply::stall());
    let t = now() + Duration::hours(48);
    let slow = AppleEndpoints {
        timeout: StdDuration::from_secs(1),
        ..ep.clone()
    };
    let r = env.vault.check_due(t, &slow).unwrap();
    assert_eq!(r[0].outcome, Outcome::CouldNotCheck);
    assert_eq!(
        env.vault.next_scheduled_check(t).unwrap(),
        Some(t + Duration::hours(1))
    );
    assert_eq!(env.vault.last_checks().unwrap().len(), 1);
}

#[test]
fn endpoints_are_settings_and_must_be_https_or_local() {
    let mut env = Env::new();
    assert_eq!(
        env.vault.apple_endpoints().unwrap(),
        AppleEndpoints::default()
    );
    let custom = AppleEndpoints {
        device_assignment: "https://depsim.example.test/".to_owned(),
        apps_and_books: "http://127.0.0.1:9000/mdm/v2".to_owned(),
        timeout: StdDuration::from_secs(7),
    };
    env.vault.set_apple_endpoints(&custom, now()).unwrap();
    let saved = env.vault.apple_endpoints().unwrap();
    assert_eq!(saved.device_assignment, "https://depsim.example.test");
    assert_eq!(saved.apps_and_books, "http://127.0.0.1:9000/mdm/v2");
    assert_eq!(saved.timeout, StdDuration::from_secs(7));
    let plain = AppleEndpoints {
        device_assignment: "http://mdmenrollment.apple.com".to_owned(),
        ..AppleEndpoints::default()
    };
    let e = env.vault.set_apple_endpoints(&plain, now()).unwrap_err();
    assert_eq!(e.kind(), "invalid_input");
    env.vault
        .set_apple_endpoints(&AppleEndpoints::default(), now())
        .unwrap();
    assert_eq!(
        env.vault.apple_endpoints().unwrap(),
        AppleEndpoints::default()
    );
}

#[test]
fn push_certificates_and_tokens_without_their_key_are_not_checked() {
    let fake = FakeApple::start();
    let mut env = Env::new();
    env.vault
        .add_client("Acme", Portal::Business, "", now())
        .unwrap();
    let cert = pem(&PushCertificateSpec::new(&random_topic())
        .expiring(now() + Duration::days(100))
        .issue(&TestCa::new(), KeyPair::shared(0)));
    let push = env
        .vault
        .import(&req("Acme", cert), Confirmation::default(), now())
        .unwrap()
        .uid;
    let e = env
        .vault
        .check(&push, now(), &endpoints(&fake))
        .unwrap_err();
    assert_eq!(e.kind(), "invalid_input");
    // An ADE token imported without its key: no OAuth values to sign with.
    let spec = ServerTokenSpec::new("CK_hosted", now() + Duration::days(100));
    let mut r = req(
        "Acme",
        spec.build(&abm_certificate(KeyPair::shared(2), "Hosted", 7)),
    );
    r.expires_at = Some(now() + Duration::days(100));
    env.vault
        .import(&r, Confirmation::default(), now())
        .unwrap();
    let results = env.vault.check_all(now(), &endpoints(&fake)).unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].outcome, Outcome::Skipped);
    assert!(fake.calls().is_empty());
    assert!(env.vault.last_checks().unwrap().is_empty());
    let _: Value = json!(null);
}
