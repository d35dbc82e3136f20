//! The real vault on PostgreSQL: its SQL, written once for both engines, run unchanged.

use chrono::{DateTime, Duration, TimeZone, Utc};
use tokenkeeper_core::mdm::Held;
use tokenkeeper_core::testing::{ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, pem};
use tokenkeeper_core::vault::{
    ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, Confirmation, EventFilter,
    ImportRequest, MdmForm,
};
use tokenkeeper_core::{Kind, MemoryStore, Portal, Vault};
use tokenkeeper_store_postgres::open;
use zeroize::Zeroizing;

use super::fresh;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("a valid date")
}

fn yes() -> Confirmation {
    Confirmation {
        confirmed: true,
        accept_new_identity: false,
    }
}

fn vault(hint: &str) -> Option<Vault> {
    let url = fresh(hint)?;
    let db = open(&url).expect("opens");
    Some(Vault::new(db, Box::new(MemoryStore::new())))
}

fn push_request(client: &str, topic: &str, days: i64) -> ImportRequest {
    let key = KeyPair::shared(0);
    let cert = PushCertificateSpec::new(topic)
        .expiring(now() + Duration::days(days))
        .issue(&TestCa::new(), key);
    ImportRequest {
        client: client.to_owned(),
        bytes: pem(&cert),
        key: Some(Zeroizing::new(key.pkcs8_pem())),
        ..Default::default()
    }
}

#[test]
fn a_client_and_a_push_certificate_go_in_and_come_out() {
    let Some(mut v) = vault("vault") else {
        return;
    };
    v.add_client("Acme", Portal::Business, "", now())
        .expect("client added");
    let e = v
        .add_client("ACME", Portal::Business, "", now())
        .expect_err("same name, other case");
    assert_eq!(e.kind(), "already_exists", "{e}");
    let topic = "com.apple.mgmt.External.0a1b2c3d-0000-4000-8000-000000000001";
    v.import(&push_request("acme", topic, 200), yes(), now())
        .expect("push certificate imported");
    let list = v.summaries(now()).expect("listed");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].client, "Acme");
    assert_eq!(list[0].kind, Kind::PushCertificate);
    let clients = v.clients().expect("clients");
    assert_eq!(clients.len(), 1);
}

/// Runs every vault operation a technician's day touches and collects each failure: the list
/// of what the vault's SQL still needs on PostgreSQL. The test fails when the list differs
/// from [`KNOWN`], so a fix (or a new failure) updates it.
#[test]
fn survey_of_the_vaults_sql_on_postgres() {
    let Some(mut v) = vault("survey") else {
        return;
    };
    let mut failures: Vec<String> = Vec::new();
    let mut check = |what: &str, r: Result<String, tokenkeeper_core::Error>| match r {
        Ok(s) => eprintln!("ok    {what}: {s}"),
        Err(e) => {
            eprintln!("FAIL  {what}: {e}");
            failures.push(what.to_owned());
        }
    };
    let t = now();
    check(
        "add_client",
        v.add_client("Acme", Portal::Business, "notes", t)
            .map(|c| c.name),
    );
    check(
        "add_client Globex",
        v.add_client("Globex", Portal::School, "", t)
            .map(|c| c.name),
    );
    let topic = "com.apple.mgmt.External.0a1b2c3d-0000-4000-8000-000000000002";
    check(
        "import push certificate",
        v.import(&push_request("Acme", topic, 20), yes(), t)
            .map(|o| format!("{o:?}").chars().take(60).collect()),
    );
    check(
        "renew push certificate",
        v.import(&push_request("Acme", topic, 380), yes(), t)
            .map(|o| format!("{o:?}").chars().take(60).collect()),
    );
    let content = ContentTokenSpec::new("Main Street", t + Duration::days(5)).build();
    check(
        "import content token",
        v.import(
            &ImportRequest {
                client: "Globex".to_owned(),
                bytes: content,
                ..Default::default()
            },
            yes(),
            t,
        )
        .map(|o| format!("{o:?}").chars().take(60).collect()),
    );
    let mdm = v.add_mdm_connection(
        &MdmForm {
            name: "Acme Intune".into(),
            client: "Acme".into(),
            vendor: "intune".into(),
            tenant: "tenant-1".into(),
            client_id: "app-1".into(),
            ..MdmForm::default()
        },
        b"graph-client-secret",
        t,
    );
    let mdm_uid = mdm.as_ref().map(|c| c.uid.clone()).unwrap_or_default();
    check("add_mdm_connection", mdm.map(|c| c.name));
    let mut held = Held::new(Kind::PushCertificate);
    held.topic = Some(topic.to_owned());
    held.serial = Some("0a1b".to_owned());
    held.expires_at = Some(t + Duration::days(380));
    check(
        "record_mdm_syncs",
        v.record_mdm_syncs(vec![(mdm_uid, Ok(vec![held]))], t)
            .map(|r| format!("{} reports", r.len())),
    );
    check(
        "identify",
        v.identify(&push_request("Acme", topic, 400).bytes)
            .map(|m| format!("{m:?}").chars().take(60).collect()),
    );
    let summaries = v.summaries(t);
    let uid = summaries
        .as_ref()
        .ok()
        .and_then(|s| s.first().map(|s| s.uid.clone()))
        .unwrap_or_default();
    check("summaries", summaries.map(|s| format!("{} rows", s.len())));
    check(
        "clients",
        v.clients().map(|c| format!("{} clients", c.len())),
    );
    check(
        "client_credentials",
        v.client_credentials("acme", t)
            .map(|c| format!("{} credentials", c.len())),
    );
    check(
        "versions",
        v.versions(&uid).map(|c| format!("{} versions", c.len())),
    );
    check(
        "events",
        v.events(&EventFilter::default())
            .map(|e| format!("{} events", e.len())),
    );
    check(
        "events of a client",
        v.events(&EventFilter {
            client: Some("ACME".to_owned()),
            ..Default::default()
        })
        .map(|e| format!("{} events", e.len())),
    );
    check(
        "update_client",
        v.update_client("Acme", "Acme Corp", Portal::Business, "", t)
            .map(|c| c.name),
    );
    check("keys", v.keys(None).map(|k| format!("{} keys", k.len())));
    check(
        "record_state_changes",
        v.record_state_changes(t + Duration::days(30))
            .map(|(s, n)| format!("{} rows, {n} changes", s.len())),
    );
    check(
        "reminder_pass",
        v.reminder_pass(t + Duration::days(1))
            .map(|p| format!("{p:?}").chars().take(60).collect()),
    );
    check(
        "pending_notification",
        v.pending_notification(t + Duration::days(1))
            .map(|n| format!("{}", n.is_some())),
    );
    check(
        "next_reminder_at",
        v.next_reminder_at(t).map(|n| format!("{n:?}")),
    );
    check(
        "add_channel",
        v.add_channel(
            &ChannelSpec {
                name: "Tickets".to_owned(),
                kind: ChannelKind::Webhook,
                settings: ChannelSettings::default(),
                clients: Some(vec!["Globex".to_owned()]),
            },
            &ChannelSecret {
                url: Some(Zeroizing::new("https://hooks.example.com/x".to_owned())),
                password: None,
                signing_key: Some(Zeroizing::new("signing".to_owned())),
            },
            t,
        )
        .map(|c| c.name),
    );
    check(
        "channels",
        v.channels().map(|c| format!("{} channels", c.len())),
    );
    check(
        "queue_alerts",
        v.queue_alerts(t + Duration::days(2))
            .map(|q| format!("{} alerts", q.alerts)),
    );
    check(
        "claim_deliveries",
        v.claim_deliveries(t + Duration::days(2), 10)
            .map(|d| format!("{} deliveries", d.len())),
    );
    check(
        "mdm_connections",
        v.mdm_connections()
            .map(|c| format!("{} connections", c.len())),
    );
    check(
        "last_checks",
        v.last_checks().map(|c| format!("{}", c.len())),
    );
    check(
        "verify_secrets",
        v.verify_secrets(t).map(|e| format!("{} problems", e.len())),
    );
    check(
        "orphaned_secrets",
        v.orphaned_secrets(t, Duration::hours(1))
            .map(|o| format!("{}", o.len())),
    );
    check(
        "sweep_secrets",
        v.sweep_secrets(t, Duration::hours(1))
            .map(|s| format!("{s:?}").chars().take(60).collect()),
    );
    check(
        "verify",
        v.verify(t)
            .map(|r| format!("{r:?}").chars().take(60).collect()),
    );
    check(
        "expected_renewal",
        v.expected_renewal("Acme Corp", Kind::PushCertificate, None, t)
            .map(|r| format!("{}", r.is_some())),
    );
    check(
        "mdm_access",
        v.mdm_access(None)
            .map(|a| format!("{} connections", a.len())),
    );
    check(
        "mdm_syncs_due",
        v.mdm_syncs_due(t).map(|a| format!("{} due", a.len())),
    );
    check("next_mdm_sync", v.next_mdm_sync().map(|n| format!("{n:?}")));
    check(
        "thresholds",
        v.thresholds()
            .map(|x| format!("{x:?}").chars().take(40).collect()),
    );
    check(
        "milestones",
        v.milestones()
            .map(|x| format!("{x:?}").chars().take(40).collect()),
    );
    check(
        "check_settings",
        v.check_settings()
            .map(|x| format!("{x:?}").chars().take(40).collect()),
    );
    check(
        "check_schedule",
        v.check_schedule()
            .map(|x| format!("{x:?}").chars().take(40).collect()),
    );
    check(
        "next_scheduled_check",
        v.next_scheduled_check(t).map(|n| format!("{n:?}")),
    );
    check(
        "last_successful_checks",
        v.last_successful_checks().map(|c| format!("{}", c.len())),
    );
    check("snoozed_until", v.snoozed_until().map(|n| format!("{n:?}")));
    check(
        "apple_endpoints",
        v.apple_endpoints()
            .map(|x| format!("{x:?}").chars().take(40).collect()),
    );
    check("change_stamp", v.change_stamp().map(|s| format!("{s:?}")));
    check("data_version", v.data_version().map(|s| format!("{s}")));
    check("is_empty", v.is_empty().map(|e| format!("{e}")));
    check(
        "remove_credential",
        v.remove_credential(&uid, t).map(|()| String::new()),
    );
    check(
        "remove_client",
        v.remove_client("Globex", t).map(|()| String::new()),
    );
    eprintln!("failing on PostgreSQL: {failures:?}");
    assert_eq!(
        failures, KNOWN,
        "update KNOWN (and the report) to what fails now"
    );
}

/// What fails on PostgreSQL: nothing. The vault writes one SQL for both engines
/// (CONTRIBUTING.md says what PostgreSQL refuses).
const KNOWN: &[&str] = &[];
