//! Searches checked against a row-by-row search of the served fields: over an index large enough
//! to be searched in two halves at once, and over texts in many scripts and cases.

use super::*;

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

/// The index's answer to `query` is the row-by-row one: the same counts, total and window.
fn finds_what_naive_finds(index: &DashboardIndex, query: &DashboardQuery) {
    let page = index.query(query);
    let (counts, matched, window) = naive(index, query);
    let context = format!(
        "{:?} in {:?} from {}",
        query.search, query.tab, query.offset
    );
    assert_eq!(page.counts, counts, "{context}");
    assert_eq!(page.matched, matched, "{context}");
    assert_eq!(uids(&page), window, "{context}");
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
                finds_what_naive_finds(&index, &q(tab, search, offset, limit));
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
            finds_what_naive_finds(&index, &q(tab, search, 0, 500));
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
