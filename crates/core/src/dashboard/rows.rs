//! The index's rows in compact form. A listing of 100,000 credentials holds six owned strings
//! per row (43 MiB resident, over 600,000 allocations, and the search texts beside); here every
//! text lives in an arena (see `arena`), and a row is a few offsets and numbers (104 bytes). A
//! row becomes a [`CredentialSummary`] again only when a query returns it.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use chrono::{DateTime, Utc};

use super::Tab;
use super::arena::{Arena, NONE, Quick, Span, offset};
use crate::mdm::{MdmView, Source};
use crate::status::Status;
use crate::summary::Portal;
use crate::{CredentialSummary, Kind, State};

/// One credential as indexed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    uid: Span,
    pub(super) client: Span,
    label: Span,
    identity: Span,
    apple_account: Span,
    reason: Span,
    /// The lowercased search text, in [`Rows::search`].
    pub(super) text: Span,
    expires_at: Option<DateTime<Utc>>,
    days_left: Option<i64>,
    revision: u32,
    renewal_window_days: u32,
    /// Its position in [`Rows::mdm`], or `u32::MAX`.
    mdm: u32,
    pub(super) state: State,
    pub(super) tab: Option<Tab>,
    kind: Kind,
    portal: Portal,
    source: Source,
    /// Its state differs from the last one recorded (built from the database only).
    changed: bool,
}

/// A row's fields as the database holds them, borrowed from it.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    pub uid: &'a str,
    pub client: &'a str,
    pub portal: Portal,
    pub kind: Kind,
    pub label: &'a str,
    pub identity: &'a str,
    pub apple_account: Option<&'a str>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revision: u32,
    pub status: Status,
    pub renewal_window_days: u32,
    /// The last state recorded for it.
    pub last_state: Option<State>,
}

/// Every indexed credential, in the listing's order.
#[derive(Debug, Default)]
pub(super) struct Rows {
    pub(super) rows: Vec<Row>,
    pub(super) strings: Arena,
    pub(super) search: Arena,
    mdm: Vec<MdmView>,
}

impl Rows {
    /// Takes a listing in, freeing each of its rows as it goes; `search_text` appends a row's
    /// lowercased search text to a string.
    pub(super) fn new(
        listing: Vec<CredentialSummary>,
        search_text: impl Fn(&CredentialSummary, &mut String),
    ) -> Self {
        let unique: usize = listing.iter().map(|c| c.uid.len() + c.identity.len()).sum();
        let mut rows = Vec::with_capacity(listing.len());
        // The search text is about as long as the row's texts with the names of its kind and
        // state: a guess, trimmed at the end.
        let mut search = Arena::with_capacity(unique * 2 + listing.len() * 32);
        let mut strings = Arena::with_capacity(unique + listing.len() * 8);
        let mut mdm = Vec::new();
        for c in listing {
            let text = search.push_with(|out| search_text(&c, out));
            let mdm_at = match c.mdm {
                Some(view) => {
                    mdm.push(*view);
                    offset(mdm.len() - 1)
                }
                None => u32::MAX,
            };
            rows.push(Row {
                uid: strings.push(&c.uid),
                client: strings.intern(&c.client),
                label: strings.intern(&c.label),
                identity: strings.push(&c.identity),
                apple_account: c
                    .apple_account
                    .as_deref()
                    .map_or(NONE, |a| strings.intern(a)),
                reason: c
                    .status
                    .reason
                    .as_deref()
                    .map_or(NONE, |r| strings.intern(r)),
                text,
                expires_at: c.expires_at,
                days_left: c.status.days_left,
                revision: c.revision,
                renewal_window_days: c.renewal_window_days,
                mdm: mdm_at,
                state: c.status.state,
                tab: Tab::of(c.status.state),
                kind: c.kind,
                portal: c.portal,
                source: c.source,
                changed: false,
            });
        }
        strings.finish();
        search.finish();
        mdm.shrink_to_fit();
        Self {
            rows,
            strings,
            search,
            mdm,
        }
    }

    /// An empty index to fill with [`Rows::push`], sized for `n` rows.
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            rows: Vec::with_capacity(n),
            strings: Arena::with_capacity(n * 64),
            // Written once the rows are in order (see `finish_sorted`).
            search: Arena::default(),
            mdm: Vec::new(),
        }
    }

    /// Appends a row read from the database (its texts borrowed from the row, not copied into
    /// strings of their own). Its search text is written once the rows are in order.
    pub(super) fn push(&mut self, r: &Fields<'_>) {
        let strings = &mut self.strings;
        self.rows.push(Row {
            uid: strings.push(r.uid),
            client: strings.intern(r.client),
            label: strings.intern(r.label),
            identity: strings.push(r.identity),
            apple_account: r.apple_account.map_or(NONE, |a| strings.intern(a)),
            reason: r
                .status
                .reason
                .as_deref()
                .map_or(NONE, |a| strings.intern(a)),
            text: NONE,
            expires_at: r.expires_at,
            days_left: r.status.days_left,
            revision: r.revision,
            renewal_window_days: r.renewal_window_days,
            mdm: u32::MAX,
            state: r.status.state,
            tab: Tab::of(r.status.state),
            kind: r.kind,
            portal: r.portal,
            source: Source::File,
            changed: r.last_state != Some(r.status.state),
        });
    }

    /// The rows whose state differs from the last one recorded, in order.
    pub(super) fn changed(&self) -> impl Iterator<Item = usize> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.changed)
            .map(|(i, _)| i)
    }

    /// Done pushing: puts the rows in the vault's order (as `vault::listing` sorts a listing:
    /// `urgency` of the state, the expiry and the client's rank among the names, then the label,
    /// then the order read) and frees the spare room.
    pub(super) fn finish_sorted(
        &mut self,
        urgency: impl Fn(State, Option<DateTime<Utc>>, u32) -> u128,
    ) {
        self.strings.finish();
        let arena = &self.strings;
        // The clients' ranks by name, case-insensitively (names equal but for case share one).
        let mut spans: Vec<Span> = self.rows.iter().map(|r| r.client).collect();
        spans.sort_unstable_by_key(|s| s.start);
        spans.dedup();
        let mut names: Vec<(String, &str)> = spans
            .iter()
            .map(|&s| (arena.get(s).to_lowercase(), arena.get(s)))
            .collect();
        names.sort_unstable();
        names.dedup();
        let mut rank: HashMap<&str, u32> = HashMap::with_capacity(names.len());
        let mut current = 0u32;
        for (i, (low, name)) in names.iter().enumerate() {
            if i > 0 && names[i - 1].0 != *low {
                current += 1;
            }
            rank.insert(name, current);
        }
        let by_span: HashMap<u32, u32, BuildHasherDefault<Quick>> = spans
            .iter()
            .map(|&s| (s.start, rank.get(arena.get(s)).copied().unwrap_or(u32::MAX)))
            .collect();
        drop(rank);
        drop(names);
        let mut keys: Vec<(u128, u32)> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let rank = by_span.get(&r.client.start).copied().unwrap_or(u32::MAX);
                (urgency(r.state, r.expires_at, rank), offset(i))
            })
            .collect();
        let rows = &self.rows;
        keys.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| {
                    arena
                        .get(rows[a.1 as usize].label)
                        .cmp(arena.get(rows[b.1 as usize].label))
                })
                .then(a.1.cmp(&b.1))
        });
        // In place: a sorted copy of the rows would be 10 MB more at 100,000.
        crate::vault::put_in_order(&mut self.rows, keys.into_iter().map(|k| k.1).collect());
        // The search texts written now, in the rows' order: a keystroke reads every one of them,
        // row after row. Written in the order the rows were read from the database, each
        // keystroke's scan jumped about the 10 MB of them at 100,000 credentials: 7-14 ms a
        // keystroke instead of 1-3 (the index the app builds, timed on the bench's words).
        let s = &self.strings;
        let texts = |r: &Row| [s.get(r.client), s.get(r.label), s.get(r.identity)];
        let account = |r: &Row| (r.apple_account != NONE).then(|| s.get(r.apple_account));
        // Sized to what is written (when lowercasing keeps the length, as for ASCII): the texts,
        // the kind's and the state's names, five separators.
        let bytes: usize = self
            .rows
            .iter()
            .map(|r| {
                texts(r).iter().map(|t| t.len()).sum::<usize>()
                    + account(r).map_or(0, str::len)
                    + super::credential_name(r.kind).len()
                    + r.state.label().len()
                    + 5 * super::SEP.len_utf8()
            })
            .sum();
        let mut search = Arena::with_capacity(bytes);
        for r in &mut self.rows {
            let account = account(r);
            r.text = search.push_with(|out| {
                super::search_text_of(texts(r), account, r.kind, r.state, out);
            });
        }
        search.finish();
        self.search = search;
    }

    /// The row at `i` as the listing had it.
    pub(super) fn summary(&self, i: usize) -> CredentialSummary {
        let r = &self.rows[i];
        let s = &self.strings;
        CredentialSummary {
            uid: s.get(r.uid).to_owned(),
            client: s.get(r.client).to_owned(),
            portal: r.portal,
            kind: r.kind,
            label: s.get(r.label).to_owned(),
            identity: s.get(r.identity).to_owned(),
            apple_account: s.get_opt(r.apple_account),
            expires_at: r.expires_at,
            revision: r.revision,
            status: Status {
                state: r.state,
                days_left: r.days_left,
                reason: s.get_opt(r.reason),
            },
            renewal_window_days: r.renewal_window_days,
            source: r.source,
            mdm: self.mdm.get(r.mdm as usize).cloned().map(Box::new),
        }
    }

    /// Where the credential `uid` is.
    pub(super) fn position(&self, uid: &str) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| self.strings.get(r.uid) == uid)
    }

    /// The bytes held on the heap: rows (with their MDM views), texts, search texts.
    pub(super) fn heap_bytes(&self) -> (usize, usize, usize) {
        (
            self.rows.capacity() * std::mem::size_of::<Row>()
                + self.mdm.capacity() * std::mem::size_of::<MdmView>(),
            self.strings.text.capacity(),
            self.search.text.capacity(),
        )
    }

    pub(super) fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.rows.iter().map(|r| r.kind)
    }
}
