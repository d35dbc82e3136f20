//! The index's rows in compact form. A listing of 100,000 credentials holds six owned strings
//! per row (43 MiB resident, over 600,000 allocations, and the search texts beside); here every
//! text lives in an arena (see `arena`), once however many rows share it, with its lowercase
//! beside it for the search; a row is a few text numbers and numbers (60 bytes). A row becomes a
//! [`CredentialSummary`] again only when a query returns it.

use chrono::{DateTime, Utc};

use super::Tab;
use super::arena::{Arena, NONE, Text, offset};
use super::uids::{Uid, Uids};
use crate::mdm::{MdmView, Source};
use crate::status::Status;
use crate::summary::Portal;
use crate::{CredentialSummary, Kind, State};

/// One credential as indexed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    /// In [`Rows::uids`].
    uid: Uid,
    /// The searched texts, in [`Rows::strings`].
    pub(super) client: Text,
    pub(super) label: Text,
    pub(super) identity: Text,
    pub(super) apple_account: Text,
    reason: Text,
    expires_at: Option<DateTime<Utc>>,
    /// Days left, [`NO_DAYS`] for none (any date's count of days fits).
    days_left: i32,
    revision: u32,
    renewal_window_days: u32,
    /// Its position in [`Rows::mdm`], or `u32::MAX`.
    mdm: u32,
    pub(super) state: State,
    pub(super) tab: Option<Tab>,
    pub(super) kind: Kind,
    portal: Portal,
    source: Source,
    /// Its state differs from the last one recorded (built from the database only).
    changed: bool,
}

/// [`Row::days_left`] when there is none.
const NO_DAYS: i32 = i32::MIN;

fn days(d: Option<i64>) -> i32 {
    d.and_then(|d| i32::try_from(d).ok())
        .filter(|&d| d != NO_DAYS)
        .unwrap_or(NO_DAYS)
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
#[derive(Debug)]
pub(super) struct Rows {
    pub(super) rows: Vec<Row>,
    /// Every other text, each stored once with its lowercase (a folding arena).
    pub(super) strings: Arena,
    /// The credentials' uids (searched by no one, so not folded).
    uids: Uids,
    mdm: Vec<MdmView>,
}

impl Default for Rows {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl Rows {
    /// Takes a listing in, freeing each of its rows as it goes.
    pub(super) fn new(listing: Vec<CredentialSummary>) -> Self {
        let mut index = Self::with_capacity(listing.len());
        for c in listing {
            let mdm_at = match c.mdm {
                Some(view) => {
                    index.mdm.push(*view);
                    offset(index.mdm.len() - 1)
                }
                None => u32::MAX,
            };
            let strings = &mut index.strings;
            index.rows.push(Row {
                uid: index.uids.push(&c.uid),
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
                expires_at: c.expires_at,
                days_left: days(c.status.days_left),
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
        index.strings.finish();
        index.uids.finish();
        index.rows.shrink_to_fit();
        index.mdm.shrink_to_fit();
        index
    }

    /// An empty index to fill with [`Rows::push`], sized for `n` rows.
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            rows: Vec::with_capacity(n),
            // A guess (most texts are shared between rows), trimmed at the end.
            strings: Arena::folding(n * 32),
            uids: Uids::with_capacity(n),
            mdm: Vec::new(),
        }
    }

    /// Appends a row read from the database (its texts borrowed from the row, not copied into
    /// strings of their own).
    pub(super) fn push(&mut self, r: &Fields<'_>) {
        let strings = &mut self.strings;
        self.rows.push(Row {
            uid: self.uids.push(r.uid),
            client: strings.intern(r.client),
            label: strings.intern(r.label),
            identity: strings.intern(r.identity),
            apple_account: r.apple_account.map_or(NONE, |a| strings.intern(a)),
            reason: r
                .status
                .reason
                .as_deref()
                .map_or(NONE, |a| strings.intern(a)),
            expires_at: r.expires_at,
            days_left: days(r.status.days_left),
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
        // The clients' ranks by name, case-insensitively (names equal but for case share one),
        // by text.
        let mut clients: Vec<Text> = self.rows.iter().map(|r| r.client).collect();
        clients.sort_unstable();
        clients.dedup();
        let mut names: Vec<(String, Text)> = clients
            .iter()
            .map(|&t| (arena.get(t).to_lowercase(), t))
            .collect();
        drop(clients);
        names.sort_unstable();
        let mut rank_of = vec![u32::MAX; arena.len()];
        let mut current = 0u32;
        for (i, (low, text)) in names.iter().enumerate() {
            if i > 0 && names[i - 1].0 != *low {
                current += 1;
            }
            rank_of[text.0 as usize] = current;
        }
        drop(names);
        let rows = &self.rows;
        let keys = rows.iter().map(|r| {
            let rank = rank_of
                .get(r.client.0 as usize)
                .copied()
                .unwrap_or(u32::MAX);
            urgency(r.state, r.expires_at, rank)
        });
        let order = crate::vault::order_by_key_then_label(keys, |i| arena.get(rows[i].label));
        drop(rank_of);
        // In place: a sorted copy of the rows would be 6 MB more at 100,000.
        crate::vault::put_in_order(&mut self.rows, order);
        self.uids.finish();
        self.rows.shrink_to_fit();
    }

    /// The row at `i` as the listing had it.
    pub(super) fn summary(&self, i: usize) -> CredentialSummary {
        let r = &self.rows[i];
        let s = &self.strings;
        CredentialSummary {
            uid: self.uids.get(r.uid),
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
                days_left: (r.days_left != NO_DAYS).then_some(i64::from(r.days_left)),
                reason: s.get_opt(r.reason),
            },
            renewal_window_days: r.renewal_window_days,
            source: r.source,
            mdm: self.mdm.get(r.mdm as usize).cloned().map(Box::new),
        }
    }

    /// Where the credential `uid` is.
    pub(super) fn position(&self, uid: &str) -> Option<usize> {
        let wanted = self.uids.find(uid)?;
        self.rows.iter().position(|r| r.uid == wanted)
    }

    /// The bytes held on the heap: rows (with their MDM views), texts (with the uids), and the
    /// texts' lowercase.
    pub(super) fn heap_bytes(&self) -> (usize, usize, usize) {
        let (texts, folded) = self.strings.heap_bytes();
        let uids = self.uids.heap_bytes();
        (
            self.rows.capacity() * std::mem::size_of::<Row>()
                + self.mdm.capacity() * std::mem::size_of::<MdmView>(),
            texts + uids,
            folded,
        )
    }

    pub(super) fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        self.rows.iter().map(|r| r.kind)
    }
}
