//! A vault to compare a pass that reads little with one that reads everything: clients with
//! and without a warning threshold of their own, credentials expiring from 80 days ago to 150
//! days ahead, some in Error, one of unknown expiry.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::{Vault, ts};
use crate::args;
use crate::db::Db;
use crate::reminders::Milestones;
use crate::secrets::MemoryStore;
use crate::summary::Portal;
use crate::testing::{ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, pem};
use crate::vault::{ClientAlerting, Confirmation, ImportRequest};

pub(in crate::vault) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("date")
}

/// Clients with and without a threshold of their own, credentials expiring from 80 days
/// ago to 150 days ahead, some in Error.
pub(in crate::vault) fn vault() -> Vault {
    let now = start();
    let mut v = Vault::new(
        Db::open_in_memory().expect("db"),
        Box::new(MemoryStore::new()),
    );
    let yes = Confirmation {
        confirmed: true,
        accept_new_identity: false,
    };
    let ca = TestCa::new();
    let key = KeyPair::shared(0);
    let clients = ["Acme", "beta", "Beta Two", "Gamma", "delta"];
    for (i, name) in clients.iter().enumerate() {
        v.add_client(name, Portal::Business, "", now)
            .expect("client");
        let warn = [None, Some(60), Some(90), Some(45), None][i];
        v.set_client_alerting(
            name,
            &ClientAlerting {
                warn_days: warn,
                contact_email: None,
            },
            now,
        )
        .expect("threshold");
        for k in 0..6usize {
            let days = i64::try_from((i * 37 + k * 53) % 230).expect("days") - 80;
            let at = now + Duration::days(days);
            let (bytes, label) = if k == 0 {
                let cert = PushCertificateSpec::new(&crate::testing::random_topic())
                    .expiring(at)
                    .issue(&ca, key);
                (pem(&cert), None)
            } else {
                (
                    ContentTokenSpec::new(&format!("Org {i}.{k}"), at).build(),
                    Some(format!("Location {k}")),
                )
            };
            let req = ImportRequest {
                client: (*name).to_owned(),
                bytes,
                label,
                ..Default::default()
            };
            v.import(&req, yes, now).expect("import");
        }
    }
    // In Error: one alone, six at one moment (the tray's fifth line falls among them and
    // their names decide; the highest row has the name that sorts first), one of unknown
    // expiry.
    let conn = v.db.sql();
    let error = |ids: &str, at: DateTime<Utc>| {
        conn.execute(
            &format!(
                "UPDATE credentials SET error = 'revoked by Apple', expires_at = ?1
                 WHERE id IN ({ids})"
            ),
            args![ts(at)],
        )
        .expect("error");
    };
    error("3", now - Duration::days(10));
    error("8, 9, 10, 11, 12, 20", now + Duration::days(5));
    conn.execute(
        "UPDATE credentials SET expires_at = NULL WHERE id = 30",
        args![],
    )
    .expect("unknown expiry");
    v
}

/// Two plans of milestones: the default one, and one reaching further before expiry with a
/// denser grace period.
pub(in crate::vault) fn milestone_plans() -> [Milestones; 2] {
    [
        Milestones::default(),
        Milestones {
            days_before: vec![120, 10],
            grace_every_days: 3,
            grace_daily_last_days: 2,
        },
    ]
}
