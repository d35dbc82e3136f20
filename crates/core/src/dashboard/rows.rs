//! The index's rows in compact form. A listing of 100,000 credentials holds six owned strings
//! per row (about 600 bytes a row with the search text, scattered over as many allocations);
//! here every text lives in one arena, a client's name and an Apple Account or a reason shared
//! by many rows is stored once, and a row is a few offsets and numbers. A row becomes a
//! [`CredentialSummary`] again only when a query returns it.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use chrono::{DateTime, Utc};

use super::Tab;
use crate::mdm::{MdmView, Source};
use crate::status::Status;
use crate::summary::Portal;
use crate::{CredentialSummary, Kind, State};

/// A text in an arena: its first byte and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    len: u32,
}

/// No text (an absent Apple Account or reason).
const NONE: Span = Span {
    start: u32::MAX,
    len: 0,
};

/// Texts one after another, each stored once.
#[derive(Debug, Default)]
pub(super) struct Arena {
    text: String,
    /// While building: a text's hash to where it is (a collision stores the text again).
    seen: HashMap<u64, Span>,
    hasher: RandomState,
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("an index holds less than 4 GiB of text")
}

impl Arena {
    fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ..Self::default()
        }
    }

    /// Appends `s`, or finds it when stored before.
    fn intern(&mut self, s: &str) -> Span {
        let hash = self.hasher.hash_one(s);
        match self.seen.get(&hash) {
            Some(&span) if self.get(span) == s => return span,
            _ => {}
        }
        let span = self.push(s);
        self.seen.insert(hash, span);
        span
    }

    /// Appends `s` (a text unique to its row).
    fn push(&mut self, s: &str) -> Span {
        let start = offset(self.text.len());
        self.text.push_str(s);
        Span {
            start,
            len: offset(s.len()),
        }
    }

    pub(super) fn get(&self, span: Span) -> &str {
        if span == NONE {
            return "";
        }
        let start = span.start as usize;
        &self.text[start..start + span.len as usize]
    }

    fn get_opt(&self, span: Span) -> Option<String> {
        (span != NONE).then(|| self.get(span).to_owned())
    }

    /// Done building: frees the lookup table and the spare capacity.
    fn finish(&mut self) {
        self.seen = HashMap::new();
        self.text.shrink_to_fit();
    }
}

/// One credential as indexed.
#[derive(Debug)]
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
    /// Takes a listing in, freeing each of its rows as it goes; `search_text` makes a row's
    /// lowercased search text.
    pub(super) fn new(
        listing: Vec<CredentialSummary>,
        search_text: impl Fn(&CredentialSummary) -> String,
    ) -> Self {
        let unique: usize = listing.iter().map(|c| c.uid.len() + c.identity.len()).sum();
        let mut rows = Vec::with_capacity(listing.len());
        // The search text is about as long as the row's texts with the names of its kind and
        // state: a guess, trimmed at the end.
        let mut search = Arena::with_capacity(unique * 2 + listing.len() * 32);
        let mut strings = Arena::with_capacity(unique + listing.len() * 8);
        let mut mdm = Vec::new();
        for c in listing {
            let text = search.push(&search_text(&c));
            let mdm_at = match c.mdm {
                Some(view) => {
                    mdm.push(view);
                    offset(mdm.len() - 1)
                }
                None => u32::MAX,
            };
            rows.push(Row {
                uid: strings.push(&c.uid),
                client: strings.intern(&c.client),
                label: strings.intern(&c.label),
                identity: strings.intern(&c.identity),
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
            mdm: self.mdm.get(r.mdm as usize).cloned(),
        }
    }

    /// Where the credential `uid` is.
    pub(super) fn position(&self, uid: &str) -> Option<usize> {
        self.rows
            .iter()
            .position(|r| self.strings.get(r.uid) == uid)
    }

    pub(super) fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.rows.iter().map(|r| r.kind)
    }
}
