use super::*;
use crate::status::{Status, Thresholds, status};
use crate::summary::Portal;
use chrono::{DateTime, Duration, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("date")
}

fn cred(uid: &str, client: &str, kind: Kind, days: i64, error: Option<&str>) -> CredentialSummary {
    let expiry = now() + Duration::days(days) + Duration::hours(1);
    CredentialSummary {
        uid: uid.to_owned(),
        client: client.to_owned(),
        portal: Portal::Business,
        kind,
        label: format!("{uid} label"),
        identity: format!("com.apple.mgmt.{uid}"),
        apple_account: Some(format!("admin@{}.example", client.to_lowercase())),
        expires_at: Some(expiry),
        revision: 1,
        status: status(Some(expiry), error, now(), Thresholds::default()),
        renewal_window_days: 30,
        source: crate::mdm::Source::File,
        mdm: None,
    }
}

/// Five credentials in the vault's order: Error, Lapsed, Expired, Renewal Required, Active.
fn index() -> DashboardIndex {
    DashboardIndex::new(
        vec![
            cred(
                "e1",
                "Acme",
                Kind::ServerToken,
                200,
                Some("Apple says the token was revoked"),
            ),
            cred("l1", "Bolt", Kind::PushCertificate, -45, None),
            cred("x1", "Acme", Kind::ContentToken, -3, None),
            cred("r1", "Cedar", Kind::PushCertificate, 10, None),
            cred("a1", "Bolt", Kind::PushCertificate, 300, None),
        ],
        4,
    )
}

fn q(tab: Tab, search: &str, offset: u32, limit: u32) -> DashboardQuery {
    DashboardQuery {
        tab,
        search: search.to_owned(),
        offset,
        limit,
    }
}

fn uids(p: &DashboardPage) -> Vec<&str> {
    p.rows.iter().map(|c| c.uid.as_str()).collect()
}

#[test]
fn all_keeps_the_vault_order_and_counts_every_tab() {
    let p = index().query(&q(Tab::All, "", 0, 50));
    assert_eq!(uids(&p), ["e1", "l1", "x1", "r1", "a1"]);
    assert_eq!(
        p.counts,
        Counts {
            all: 5,
            renewal_required: 1,
            expired: 2,
            error: 1
        }
    );
    assert_eq!((p.total, p.attention, p.matched, p.offset), (5, 4, 5, 0));
    assert!(p.checkable);
}

#[test]
fn a_tab_holds_its_states_and_expired_holds_lapsed() {
    let i = index();
    assert_eq!(uids(&i.query(&q(Tab::Expired, "", 0, 50))), ["l1", "x1"]);
    assert_eq!(uids(&i.query(&q(Tab::Error, "", 0, 50))), ["e1"]);
    assert_eq!(uids(&i.query(&q(Tab::RenewalRequired, "", 0, 50))), ["r1"]);
}

#[test]
fn the_window_is_cut_from_the_matching_rows() {
    let i = index();
    let p = i.query(&q(Tab::All, "", 1, 2));
    assert_eq!(uids(&p), ["l1", "x1"]);
    assert_eq!((p.matched, p.offset), (5, 1));
    let past = i.query(&q(Tab::All, "", 9, 2));
    assert!(past.rows.is_empty());
    assert_eq!(
        (past.matched, past.offset),
        (5, 5),
        "an offset past the end is clamped"
    );
    let none = i.query(&q(Tab::All, "", 0, 0));
    assert!(none.rows.is_empty());
    assert_eq!(none.counts.all, 5, "counts come without rows");
}

#[test]
fn the_limit_is_capped() {
    let many: Vec<CredentialSummary> = (0..MAX_ROWS + 20)
        .map(|n| cred(&format!("c{n}"), "Acme", Kind::PushCertificate, 100, None))
        .collect();
    let p = DashboardIndex::new(many, 1).query(&q(Tab::All, "", 0, u32::MAX));
    assert_eq!(p.rows.len(), MAX_ROWS as usize);
    assert_eq!(p.matched, MAX_ROWS + 20);
}

#[test]
fn every_word_must_match_case_insensitively_in_any_field() {
    let i = index();
    assert_eq!(uids(&i.query(&q(Tab::All, "ACME", 0, 50))), ["e1", "x1"]);
    assert_eq!(uids(&i.query(&q(Tab::All, "acme apps", 0, 50))), ["x1"]);
    assert_eq!(
        uids(&i.query(&q(Tab::All, "  bolt   lapsed ", 0, 50))),
        ["l1"]
    );
    assert_eq!(
        uids(&i.query(&q(Tab::All, "com.apple.mgmt.r1", 0, 50))),
        ["r1"]
    );
    assert_eq!(uids(&i.query(&q(Tab::All, "admin@cedar", 0, 50))), ["r1"]);
    assert_eq!(uids(&i.query(&q(Tab::All, "a1 label", 0, 50))), ["a1"]);
    assert_eq!(
        uids(&i.query(&q(Tab::All, "renewal required", 0, 50))),
        ["r1"]
    );
    let p = i.query(&q(Tab::Expired, "acme", 0, 50));
    assert_eq!(uids(&p), ["x1"]);
    assert_eq!((p.counts.all, p.counts.error, p.counts.expired), (2, 1, 1));
    assert_eq!(p.total, 5, "the total ignores the search");
    assert_eq!(
        i.query(&q(Tab::All, "nobody", 0, 50)).counts,
        Counts::default()
    );
}

#[test]
fn a_search_never_matches_across_two_fields() {
    // "acme" + "ade" would join as "acmeade..." if the fields were glued together.
    assert!(
        index()
            .query(&q(Tab::All, "acmeade", 0, 50))
            .rows
            .is_empty()
    );
}

#[test]
fn non_ascii_text_is_found_whatever_its_case() {
    let i = DashboardIndex::new(
        vec![cred("u1", "Écoles de Zürich", Kind::ContentToken, 90, None)],
        1,
    );
    assert_eq!(uids(&i.query(&q(Tab::All, "ÉCOLES zÜRICH", 0, 5))), ["u1"]);
}

#[test]
fn only_push_certificates_cannot_be_checked() {
    let i = DashboardIndex::new(vec![cred("p", "Acme", Kind::PushCertificate, 90, None)], 1);
    assert!(!i.query(&DashboardQuery::default()).checkable);
    assert!(
        !DashboardIndex::default()
            .query(&DashboardQuery::default())
            .checkable
    );
}

#[test]
fn tallies_give_each_client_its_count_attention_and_worst_state() {
    let t = index().tallies();
    let got: Vec<(&str, u32, u32, State)> = t
        .iter()
        .map(|t| (t.client.as_str(), t.credentials, t.attention, t.worst))
        .collect();
    assert_eq!(
        got,
        [
            ("Acme", 2, 2, State::Error),
            ("Bolt", 2, 1, State::Lapsed),
            ("Cedar", 1, 1, State::RenewalRequired),
        ]
    );
}

#[test]
fn find_by_uid() {
    let i = index();
    assert_eq!(i.find("x1").map(|c| c.client), Some("Acme".to_owned()));
    assert!(i.find("nope").is_none());
    assert_eq!(i.len(), 5);
    assert!(!i.is_empty());
}

#[test]
fn statuses_are_served_as_listed() {
    let i = index();
    let p = i.query(&q(Tab::Error, "", 0, 1));
    let Status { state, reason, .. } = &p.rows[0].status;
    assert_eq!(*state, State::Error);
    assert_eq!(reason.as_deref(), Some("Apple says the token was revoked"));
}

#[test]
fn rows_come_back_exactly_as_listed() {
    let mut listing = vec![
        cred("e1", "Acme", Kind::ServerToken, 200, Some("revoked")),
        cred("x1", "Acme", Kind::ContentToken, -3, None),
        cred("p1", "Bolt", Kind::PushCertificate, 10, Some("revoked")),
        cred("n1", "", Kind::PushCertificate, 10, None),
    ];
    listing[1].apple_account = None;
    listing[1].label = String::new();
    listing[2].expires_at = None;
    listing[2].renewal_window_days = 45;
    listing[2].source = crate::mdm::Source::Both;
    listing[2].mdm = Some(Box::new(crate::mdm::MdmView {
        connection: "Intune".to_owned(),
        vendor: crate::mdm::Vendor::Intune,
        expires_at: None,
        synced_at: now(),
    }));
    let expected: Vec<String> = listing.iter().map(|c| format!("{c:?}")).collect();
    let i = DashboardIndex::new(listing, 7);
    let p = i.query(&q(Tab::All, "", 0, 10));
    let got: Vec<String> = p.rows.iter().map(|c| format!("{c:?}")).collect();
    assert_eq!(got, expected);
    assert_eq!(p.clients, 7);
    assert_eq!(
        i.find("p1").map(|c| format!("{c:?}")),
        Some(expected[2].clone())
    );
}

mod reference;
