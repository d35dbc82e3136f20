//! The whole vault listed for a report (`status` in every format, `export`), packed: each row's
//! texts side by side in one string, the rest in a fixed row of 88 bytes. A listed
//! [`CredentialSummary`] is 200 bytes and five allocations of its own: at 100,000 credentials
//! those were 31 MB of `status --json`'s 42 MB heap at its peak (massif); packed they are 18
//! MB (8.8 of rows, 8.9 of texts), and the command's peak resident memory went from 48 to 35
//! MB.
//!
//! Reports read rows through [`Listing`], which a packed [`Report`] and a slice of summaries
//! both are, as [`SummaryRef`]s: the same fields, borrowed.

use chrono::{DateTime, Utc};

use crate::dashboard::Fields;
use crate::mdm::{MdmView, Source};
use crate::status::{State, StatusRef};
use crate::summary::{CredentialSummary, Portal};
use crate::token::Kind;

/// A listed credential, borrowed from a [`Report`] or a [`CredentialSummary`]: the fields of
/// the summary, under the same names.
#[derive(Debug, Clone, Copy)]
pub struct SummaryRef<'a> {
    /// See [`CredentialSummary::uid`].
    pub uid: &'a str,
    /// The client's name.
    pub client: &'a str,
    /// The client's portal.
    pub portal: Portal,
    /// Which credential.
    pub kind: Kind,
    /// The user's label.
    pub label: &'a str,
    /// See [`CredentialSummary::identity`].
    pub identity: &'a str,
    /// The Apple Account on record.
    pub apple_account: Option<&'a str>,
    /// When it expires, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// How many accepted versions it has had.
    pub revision: u32,
    /// The state at the moment of listing.
    pub status: StatusRef<'a>,
    /// See [`CredentialSummary::renewal_window_days`].
    pub renewal_window_days: u32,
    /// Where TokenKeeper knows it from.
    pub source: Source,
    /// What an MDM holds for it, if one does.
    pub mdm: Option<&'a MdmView>,
}

impl SummaryRef<'_> {
    /// The summary, owned.
    pub fn to_summary(&self) -> CredentialSummary {
        CredentialSummary {
            uid: self.uid.to_owned(),
            client: self.client.to_owned(),
            portal: self.portal,
            kind: self.kind,
            label: self.label.to_owned(),
            identity: self.identity.to_owned(),
            apple_account: self.apple_account.map(str::to_owned),
            expires_at: self.expires_at,
            revision: self.revision,
            status: self.status.to_status(),
            renewal_window_days: self.renewal_window_days,
            source: self.source,
            mdm: self.mdm.map(|m| Box::new(m.clone())),
        }
    }
}

impl CredentialSummary {
    /// This summary, borrowed as reports read it.
    pub fn view(&self) -> SummaryRef<'_> {
        SummaryRef {
            uid: &self.uid,
            client: &self.client,
            portal: self.portal,
            kind: self.kind,
            label: &self.label,
            identity: &self.identity,
            apple_account: self.apple_account.as_deref(),
            expires_at: self.expires_at,
            revision: self.revision,
            status: self.status.view(),
            renewal_window_days: self.renewal_window_days,
            source: self.source,
            mdm: self.mdm.as_deref(),
        }
    }
}

/// Listed credentials in order, as reports read them.
pub trait Listing {
    /// How many.
    fn count(&self) -> usize;
    /// The row at `i` (below [`Listing::count`]).
    fn row(&self, i: usize) -> SummaryRef<'_>;
    /// Every row, in order.
    fn rows(&self) -> Rows<'_, Self> {
        Rows { of: self, next: 0 }
    }
    /// The state of the row at `i`, without reading the rest of it.
    fn state(&self, i: usize) -> State {
        self.row(i).status.state
    }
    /// The figures of the row at `i`, without its texts (what monitoring's series read
    /// several times over).
    fn figures(&self, i: usize) -> Figures {
        let r = self.row(i);
        Figures {
            state: r.status.state,
            expires_at: r.expires_at,
            days_left: r.status.days_left,
            renewal_window_days: r.renewal_window_days,
        }
    }
    /// Every row's state, in order.
    fn states(&self) -> impl Iterator<Item = State> {
        (0..self.count()).map(move |i| self.state(i))
    }
}

/// A listed credential's figures, without its texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    /// The state.
    pub state: State,
    /// When it expires, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whole days until expiry.
    pub days_left: Option<i64>,
    /// Days before expiry when renewal becomes required for it.
    pub renewal_window_days: u32,
}

/// The rows of a [`Listing`], in order.
pub struct Rows<'a, L: ?Sized> {
    of: &'a L,
    next: usize,
}

impl<'a, L: Listing + ?Sized> Iterator for Rows<'a, L> {
    type Item = SummaryRef<'a>;

    fn next(&mut self) -> Option<SummaryRef<'a>> {
        if self.next >= self.of.count() {
            return None;
        }
        self.next += 1;
        Some(self.of.row(self.next - 1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.of.count().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl Listing for [CredentialSummary] {
    fn count(&self) -> usize {
        self.len()
    }

    fn row(&self, i: usize) -> SummaryRef<'_> {
        self[i].view()
    }
}

impl Listing for Vec<CredentialSummary> {
    fn count(&self) -> usize {
        self.len()
    }

    fn row(&self, i: usize) -> SummaryRef<'_> {
        self[i].view()
    }
}

impl<const N: usize> Listing for [CredentialSummary; N] {
    fn count(&self) -> usize {
        N
    }

    fn row(&self, i: usize) -> SummaryRef<'_> {
        self[i].view()
    }
}

/// Every credential listed at a moment, most urgent first, packed (see the module's notes).
/// Made by [`crate::Vault::report`] and [`crate::Vault::report_and_record`].
#[derive(Debug, Default)]
pub struct Report {
    /// Every row's texts, one after the other.
    texts: String,
    rows: Vec<Packed>,
}

/// A row's texts, in the order they are packed.
const UID: usize = 0;
const CLIENT: usize = 1;
const LABEL: usize = 2;
const IDENTITY: usize = 3;
const ACCOUNT: usize = 4;

/// One row of a [`Report`]: its texts are `texts[at..at + ends[4]]`, split at `ends`.
#[derive(Debug)]
pub(crate) struct Packed {
    at: usize,
    /// Where the uid, client, label, identity and Apple Account end, from `at`.
    ends: [u32; 5],
    has_account: bool,
    portal: Portal,
    kind: Kind,
    source: Source,
    /// The last state recorded for it (what state changes are noticed against).
    last_state: Option<State>,
    expires_at: Option<DateTime<Utc>>,
    revision: u32,
    renewal_window_days: u32,
    /// The state, and the days left when `has_days` (a [`crate::Status`] in 25 bytes, not 48).
    state: State,
    has_days: bool,
    days_left: i64,
    reason: Option<Box<str>>,
    mdm: Option<Box<MdmView>>,
}

impl Report {
    /// An empty report with room for `rows` rows.
    pub(crate) fn with_capacity(rows: usize) -> Self {
        Self {
            // About a hundred bytes of text a credential (a uid, a push topic, two names).
            texts: String::with_capacity(rows.saturating_mul(96)),
            rows: Vec::with_capacity(rows),
        }
    }

    /// Adds `s`, whose last recorded state is `last_state`, at the end.
    pub(crate) fn push(&mut self, s: CredentialSummary, last_state: Option<State>) {
        let (at, ends, has_account) = self.put_texts(
            [&s.uid, &s.client, &s.label, &s.identity],
            s.apple_account.as_deref(),
        );
        self.rows.push(Packed {
            at,
            ends,
            has_account,
            portal: s.portal,
            kind: s.kind,
            source: s.source,
            last_state,
            expires_at: s.expires_at,
            revision: s.revision,
            renewal_window_days: s.renewal_window_days,
            state: s.status.state,
            has_days: s.status.days_left.is_some(),
            days_left: s.status.days_left.unwrap_or_default(),
            reason: s.status.reason.map(String::into_boxed_str),
            mdm: s.mdm,
        });
    }

    /// Adds a credential as its row describes it (no MDM view), its texts copied from the row.
    pub(crate) fn push_fields(&mut self, f: Fields<'_>) {
        let (at, ends, has_account) =
            self.put_texts([f.uid, f.client, f.label, f.identity], f.apple_account);
        self.rows.push(Packed {
            at,
            ends,
            has_account,
            portal: f.portal,
            kind: f.kind,
            source: Source::File,
            last_state: f.last_state,
            expires_at: f.expires_at,
            revision: f.revision,
            renewal_window_days: f.renewal_window_days,
            state: f.status.state,
            has_days: f.status.days_left.is_some(),
            days_left: f.status.days_left.unwrap_or_default(),
            reason: f.status.reason.map(String::into_boxed_str),
            mdm: None,
        });
    }

    /// Appends a row's texts: where they start, where each ends, whether there is an account.
    fn put_texts(&mut self, texts: [&str; 4], account: Option<&str>) -> (usize, [u32; 5], bool) {
        let at = self.texts.len();
        let mut ends = [0u32; 5];
        for (end, text) in ends
            .iter_mut()
            .zip(texts.into_iter().chain([account.unwrap_or("")]))
        {
            self.texts.push_str(text);
            // One credential's texts are bounded far below 4 GB (limits.rs).
            *end = u32::try_from(self.texts.len() - at).unwrap_or(u32::MAX);
        }
        (at, ends, account.is_some())
    }

    /// Puts the rows most urgent first, in the listing's order.
    pub(crate) fn sort(&mut self) {
        // Only what the order reads (a whole row is five texts; perf: a seventh of the command).
        let order = crate::vault::urgency_order(
            self.rows.len(),
            |i| {
                let p = &self.rows[i];
                (self.text(p, CLIENT), p.state, p.expires_at)
            },
            |i| self.text(&self.rows[i], LABEL),
        );
        crate::vault::put_in_order(&mut self.rows, order);
    }

    /// Text `k` (one of [`UID`] to [`ACCOUNT`]) of the row `p`.
    #[inline]
    fn text(&self, p: &Packed, k: usize) -> &str {
        let from = if k == UID { 0 } else { p.ends[k - 1] as usize };
        self.texts
            .get(p.at + from..p.at + p.ends[k] as usize)
            .unwrap_or_default()
    }

    /// The rows whose state is not the last one recorded for them.
    pub(crate) fn unrecorded(&self) -> impl Iterator<Item = SummaryRef<'_>> {
        (0..self.rows.len()).filter_map(|i| {
            let p = &self.rows[i];
            (p.last_state != Some(p.state)).then(|| self.row(i))
        })
    }
}

impl Listing for Report {
    fn count(&self) -> usize {
        self.rows.len()
    }

    fn state(&self, i: usize) -> State {
        self.rows[i].state
    }

    fn figures(&self, i: usize) -> Figures {
        let p = &self.rows[i];
        Figures {
            state: p.state,
            expires_at: p.expires_at,
            days_left: p.has_days.then_some(p.days_left),
            renewal_window_days: p.renewal_window_days,
        }
    }

    fn row(&self, i: usize) -> SummaryRef<'_> {
        let p = &self.rows[i];
        SummaryRef {
            uid: self.text(p, UID),
            client: self.text(p, CLIENT),
            portal: p.portal,
            kind: p.kind,
            label: self.text(p, LABEL),
            identity: self.text(p, IDENTITY),
            apple_account: p.has_account.then(|| self.text(p, ACCOUNT)),
            expires_at: p.expires_at,
            revision: p.revision,
            status: StatusRef {
                state: p.state,
                days_left: p.has_days.then_some(p.days_left),
                reason: p.reason.as_deref(),
            },
            renewal_window_days: p.renewal_window_days,
            source: p.source,
            mdm: p.mdm.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests;
