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

/// What a search should find, row by row: every word in one of the row's fields as it is
/// served (client, kind, label, identity, Apple Account, state), lowercased.
fn naive(index: &DashboardIndex, q: &DashboardQuery) -> (Counts, u32, Vec<String>) {
    let search = q.search.to_lowercase();
    let words: Vec<&str> = search.split_whitespace().collect();
    let mut counts = Counts::default();
    let mut uids = Vec::new();
    for (i, row) in index.rows.rows.iter().enumerate() {
        let c = index.rows.summary(i);
        let fields = [
            c.client.as_str(),
            crate::overview::credential_name(c.kind),
            &c.label,
            &c.identity,
            c.apple_account.as_deref().unwrap_or(""),
            c.status.state.label(),
        ]
        .map(str::to_lowercase);
        if words.iter().all(|w| fields.iter().any(|f| f.contains(w))) {
            counts.add(row.tab);
            if q.tab == Tab::All || row.tab == Some(q.tab) {
                uids.push(index.rows.summary(i).uid);
            }
        }
    }
    let matched = u32::try_from(uids.len()).expect("count");
    let window = uids
        .into_iter()
        .skip(q.offset as usize)
        .take(q.limit.min(MAX_ROWS) as usize)
        .collect();
    (counts, matched, window)
}

// Large enough to be searched in two halves at once: the halves' counts and windows join up
// exactly as one pass row by row would have them, whatever word leads the pass.
#[test]
fn a_large_index_finds_what_a_row_by_row_search_finds() {
    let listing = (0..25_000)
        .map(|i| {
            let error = (i % 97 == 0).then_some("Apple says the token was revoked");
            let kind = [Kind::PushCertificate, Kind::ServerToken, Kind::ContentToken][i % 3];
            let client = format!("Client {:04}", i / 10);
            cred(
                &format!("u{i}"),
                &client,
                kind,
                (i % 400) as i64 - 60,
                error,
            )
        })
        .collect();
    let index = DashboardIndex::new(listing, 2_500);
    let searches = [
        "",
        "c",
        "client 00",
        "00 client",
        "0042 client",
        "mgmt.u1 label",
        "revoked",
        "ERROR client 01",
        "renewal",
        // Runs from the end of one row's text ("... active") into the next ("client ..."):
        // in no row.
        "activeclient",
        "eclient",
        "nothing here",
    ];
    for search in searches {
        for tab in [Tab::All, Tab::RenewalRequired, Tab::Expired, Tab::Error] {
            for (offset, limit) in [(0, 48), (7_000, 48), (24_990, 48)] {
                let query = q(tab, search, offset, limit);
                let page = index.query(&query);
                let (counts, matched, window) = naive(&index, &query);
                let context = format!("{search:?} in {tab:?} from {offset}");
                assert_eq!(page.counts, counts, "{context}");
                assert_eq!(page.matched, matched, "{context}");
                assert_eq!(uids(&page), window, "{context}");
            }
        }
    }
    assert_eq!(
        index.query(&q(Tab::All, "activeclient", 0, 48)).counts.all,
        0
    );
    assert!(index.query(&q(Tab::All, "client 00", 0, 48)).matched > 48);
}

// Texts in many scripts and cases, some sharing pieces, some whose lowercase is longer or
// shorter than they are, some empty, some shared between rows: every search of pieces of them
// finds what a row-by-row search of the served fields finds.
#[test]
fn searches_over_texts_of_every_script_find_what_a_row_by_row_search_finds() {
    const PIECES: [&str; 14] = [
        "Acme",
        "ÉCOLE",
        "école",
        "\u{212A}elvin",
        "İstanbul",
        "ΟΔΟΣ",
        "straße",
        "STRASSE",
        "東京",
        "ß",
        "i\u{307}",
        "a b",
        "",
        "\u{0}",
    ];
    /// A fixed sequence (xorshift): the same texts at every run.
    struct Draw(u64);
    impl Draw {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn text(&mut self, parts: usize) -> String {
            (0..parts)
                .map(|_| PIECES[self.below(PIECES.len())])
                .collect()
        }
    }
    let mut draw = Draw(0x2545_f491_4f6c_dd1d);
    let listing: Vec<CredentialSummary> = (0..600)
        .map(|i| {
            let kind = [Kind::PushCertificate, Kind::ServerToken, Kind::ContentToken][i % 3];
            let client = draw.text(2);
            let mut c = cred(&format!("u{i}"), &client, kind, (i % 90) as i64 - 40, None);
            c.label = draw.text(1);
            c.identity = draw.text(3);
            c.apple_account = (i % 4 != 0).then(|| draw.text(2));
            c
        })
        .collect();
    let index = DashboardIndex::new(listing, 200);
    let mut searches: Vec<String> = PIECES.iter().map(|p| (*p).to_owned()).collect();
    searches.extend(
        [
            "k",
            "kelvin",
            "i\u{307}stanbul",
            "οδος",
            "σ",
            "ς",
            "ss",
            "ß",
            "acme école",
        ]
        .map(str::to_owned),
    );
    searches.extend((0..40).map(|_| {
        let words = 1 + draw.below(3);
        let mut s = draw.text(words);
        // A piece of a text, cut at a character boundary.
        let cut = draw.below(s.len() + 1);
        s.truncate(
            (0..=cut)
                .rev()
                .find(|&i| s.is_char_boundary(i))
                .unwrap_or(0),
        );
        s
    }));
    for search in &searches {
        for tab in [Tab::All, Tab::Expired] {
            let query = q(tab, search, 0, 500);
            let page = index.query(&query);
            let (counts, matched, window) = naive(&index, &query);
            let context = format!("{search:?} in {tab:?}");
            assert_eq!(page.counts, counts, "{context}");
            assert_eq!(page.matched, matched, "{context}");
            assert_eq!(uids(&page), window, "{context}");
        }
    }
    // The texts whose lowercase moved are found too, by it.
    for search in ["kelvin", "i\u{307}stanbul", "\u{212A}ELVIN", "東京 acme"] {
        assert!(
            index.query(&q(Tab::All, search, 0, 5)).matched > 0,
            "{search:?}"
        );
    }
}
