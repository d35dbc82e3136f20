use super::*;
use crate::summary::Portal;
use crate::token::Kind;
use chrono::TimeZone;

fn cred(uid: &str, expiry: Option<DateTime<Utc>>, revision: u32) -> CredentialSummary {
    CredentialSummary {
        uid: uid.to_owned(),
        client: "Acme".to_owned(),
        portal: Portal::Business,
        kind: Kind::PushCertificate,
        label: "APNs certificate".to_owned(),
        identity: "com.apple.mgmt.x".to_owned(),
        apple_account: None,
        expires_at: expiry,
        revision,
        status: status(expiry, None, Utc::now(), Thresholds::default()),
        renewal_window_days: 30,
        source: crate::mdm::Source::File,
        mdm: None,
    }
}

fn expiry() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
        .single()
        .expect("date")
}

/// Simulates months of hourly checks, recording what fires; returns the milestones fired.
fn simulate(
    creds: &mut [CredentialSummary],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    sent: &mut HashSet<SentKey>,
    renew_at: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Vec<(String, u32, String)> {
    let t = Thresholds::default();
    let m = Milestones::default();
    let mut fired = Vec::new();
    let mut now = from;
    while now <= to {
        if let Some((when, new_expiry)) = renew_at {
            if now >= when && creds[0].expires_at != Some(new_expiry) {
                creds[0].expires_at = Some(new_expiry);
                creds[0].revision += 1;
            }
        }
        for r in due(creds, sent, now, t, &m) {
            sent.insert((r.uid.clone(), r.revision, r.milestone.clone()));
            fired.push((now.format("%Y-%m-%d").to_string(), r.revision, r.milestone));
        }
        now += Duration::hours(1);
    }
    fired
}

#[test]
fn a_full_series_across_months() {
    let mut creds = vec![cred("a", Some(expiry()), 1)];
    let mut sent = HashSet::new();
    let fired = simulate(
        &mut creds,
        expiry() - Duration::days(60),
        expiry() + Duration::days(40),
        &mut sent,
        None,
    );
    let names: Vec<&str> = fired.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "before-30",
            "before-14",
            "before-7",
            "before-3",
            "before-1",
            "expiry",
            "grace-7",
            "grace-14",
            "grace-21",
            "grace-24",
            "grace-25",
            "grace-26",
            "grace-27",
            "grace-28",
            "grace-29",
            "lapse"
        ]
    );
    assert_eq!(fired[0].0, "2027-02-02");
    assert_eq!(fired.last().map(|f| f.0.as_str()), Some("2027-04-03"));
}

#[test]
fn a_restart_does_not_repeat_and_a_long_sleep_fires_only_the_latest() {
    let mut creds = vec![cred("a", Some(expiry()), 1)];
    let mut sent = HashSet::new();
    let first = simulate(
        &mut creds,
        expiry() - Duration::days(31),
        expiry() - Duration::days(29),
        &mut sent,
        None,
    );
    assert_eq!(first.len(), 1);
    // "Restart": same sent set (it lives in the database), same moment again.
    let again = simulate(
        &mut creds,
        expiry() - Duration::days(29),
        expiry() - Duration::days(29),
        &mut sent,
        None,
    );
    assert!(again.is_empty());
    // Asleep from 29 to 2 days before: only before-3 fires, not 14 and 7.
    let woke = simulate(
        &mut creds,
        expiry() - Duration::days(2),
        expiry() - Duration::days(2),
        &mut sent,
        None,
    );
    assert_eq!(
        woke.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(),
        vec!["before-3"]
    );
}

#[test]
fn a_renewal_starts_the_series_afresh() {
    let mut creds = vec![cred("a", Some(expiry()), 1)];
    let mut sent = HashSet::new();
    let renewed = expiry() + Duration::days(365);
    let fired = simulate(
        &mut creds,
        expiry() - Duration::days(20),
        renewed - Duration::days(25),
        &mut sent,
        Some((expiry() - Duration::days(5), renewed)),
    );
    let got: Vec<(u32, &str)> = fired.iter().map(|f| (f.1, f.2.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (1, "before-30"),
            (1, "before-14"),
            (1, "before-7"),
            (2, "before-30")
        ]
    );
}

#[test]
fn errors_fire_at_once_and_once() {
    let mut c = cred("e", Some(expiry() + Duration::days(200)), 1);
    c.status.reason = Some("stored token changed outside TokenKeeper".to_owned());
    let mut sent = HashSet::new();
    let now = expiry();
    let d = due(
        &[c.clone()],
        &sent,
        now,
        Thresholds::default(),
        &Milestones::default(),
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].milestone, "error");
    sent.insert(("e".to_owned(), 1, "error".to_owned()));
    assert!(
        due(
            &[c],
            &sent,
            now + Duration::days(3),
            Thresholds::default(),
            &Milestones::default()
        )
        .is_empty()
    );
}

#[test]
fn several_at_once_make_one_notification() {
    let now = expiry();
    let creds: Vec<CredentialSummary> = (0..7)
        .map(|i| {
            let mut c = cred(&format!("c{i}"), Some(now + Duration::days(10 + i)), 1);
            c.client = format!("Client {i}");
            c
        })
        .collect();
    let d = due(
        &creds,
        &HashSet::new(),
        now,
        Thresholds::default(),
        &Milestones::default(),
    );
    assert_eq!(d.len(), 7);
    let n = group(d, Thresholds::default()).expect("one notification");
    assert_eq!(n.title, "7 credentials need renewal");
    assert!(
        n.body
            .starts_with("Client 0: APNs certificate \"APNs certificate\" expires in 10 days")
    );
    assert!(n.body.ends_with("and 2 more"));
    assert_eq!(n.open_uid.as_deref(), Some("c0"));
    let single = group(
        due(
            &creds[..1],
            &HashSet::new(),
            now,
            Thresholds::default(),
            &Milestones::default(),
        ),
        Thresholds::default(),
    )
    .expect("one");
    assert_eq!(
        single.title,
        "Client 0: APNs certificate \"APNs certificate\" expires in 10 days"
    );
    assert!(single.body.contains("Renew it now"));
    assert!(group(Vec::new(), Thresholds::default()).is_none());
}

#[test]
fn next_due_is_the_next_milestone() {
    let creds = vec![cred("a", Some(expiry()), 1), cred("b", None, 1)];
    let t = Thresholds::default();
    let m = Milestones::default();
    assert_eq!(
        next_due(&creds, expiry() - Duration::days(40), t, &m),
        Some(expiry() - Duration::days(30))
    );
    assert_eq!(
        next_due(&creds, expiry() - Duration::days(2), t, &m),
        Some(expiry() - Duration::days(1))
    );
    assert_eq!(next_due(&creds, expiry() + Duration::days(31), t, &m), None);
}
