//! The dashboard's list, served a window at a time. Every credential is indexed once (in the
//! vault's urgency order, with its tab; its texts with their lowercase); each query (a tab, the
//! search words, the rows in view) is then one pass over the index that copies only the rows
//! asked for. Ten thousand credentials never cross to the window at once: the window holds the
//! rows it shows, and a keystroke costs a scan of the index, not a new listing. The index keeps
//! its texts in an arena (see `rows`), not a listing's six owned strings per row.

use serde::{Deserialize, Serialize};

use crate::{CredentialSummary, Kind, State};

mod arena;
mod matcher;
mod rows;
mod uids;

pub(crate) use rows::Fields;
use rows::Rows;

/// The dashboard's tabs besides All: Expired holds Lapsed too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// Every credential.
    #[default]
    All,
    /// Inside the renewal window.
    RenewalRequired,
    /// Expired or lapsed.
    Expired,
    /// In Error.
    Error,
}

impl Tab {
    /// The tab a state belongs to besides All; `None` for Active.
    pub fn of(state: State) -> Option<Tab> {
        match state {
            State::Active => None,
            State::RenewalRequired => Some(Tab::RenewalRequired),
            State::Expired | State::Lapsed => Some(Tab::Expired),
            State::Error => Some(Tab::Error),
        }
    }
}

/// How many credentials match the search in each tab.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Counts {
    /// Every tab together.
    pub all: u32,
    /// Renewal Required.
    pub renewal_required: u32,
    /// Expired and Lapsed.
    pub expired: u32,
    /// Error.
    pub error: u32,
}

impl Counts {
    fn merge(&mut self, other: Self) {
        self.all += other.all;
        self.renewal_required += other.renewal_required;
        self.expired += other.expired;
        self.error += other.error;
    }

    fn add(&mut self, tab: Option<Tab>) {
        self.all += 1;
        match tab {
            Some(Tab::RenewalRequired) => self.renewal_required += 1,
            Some(Tab::Expired) => self.expired += 1,
            Some(Tab::Error) => self.error += 1,
            Some(Tab::All) | None => {}
        }
    }
}

/// The most rows one query returns (a tall window shows about twenty).
pub const MAX_ROWS: u32 = 500;

/// What the dashboard shows: a tab, the search as typed, and the rows in view.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DashboardQuery {
    /// The selected tab.
    pub tab: Tab,
    /// The search as typed: every word must appear in the client, the credential's name and
    /// label, its identity, the Apple Account or the state.
    pub search: String,
    /// The first matching row wanted (0 for the top).
    pub offset: u32,
    /// How many rows from there (at most [`MAX_ROWS`]).
    pub limit: u32,
}

/// One answer to a [`DashboardQuery`].
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DashboardPage {
    /// Every credential, whatever the search.
    pub total: u32,
    /// How many are not Active, whatever the search.
    pub attention: u32,
    /// Whether any credential can be checked with Apple (an ADE or Apps and Books token).
    pub checkable: bool,
    /// How many clients there are, with credentials or not (the window shows the count before
    /// it lists them).
    pub clients: u32,
    /// How many credentials match the search, per tab.
    pub counts: Counts,
    /// How many rows of the selected tab match the search.
    pub matched: u32,
    /// The position of the first row below among the matching ones.
    pub offset: u32,
    /// The matching rows from `offset`, most urgent first.
    pub rows: Vec<CredentialSummary>,
}

/// How one client's credentials stand, for the list of clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientTally {
    /// The client's name.
    pub client: String,
    /// How many credentials it has.
    pub credentials: u32,
    /// How many are not Active.
    pub attention: u32,
    /// The most urgent state among them.
    pub worst: State,
}

/// Every credential, indexed for the dashboard's queries.
#[derive(Debug, Default)]
pub struct DashboardIndex {
    rows: Rows,
    clients: u32,
    attention: u32,
    checkable: bool,
}

/// The index built row by row as the database is read (`Vault::dashboard_index`), without a
/// listing of owned rows first.
#[derive(Debug)]
pub(crate) struct Builder(Rows);

impl Builder {
    /// Room for `n` rows.
    pub(crate) fn new(n: usize) -> Self {
        Self(Rows::with_capacity(n))
    }

    /// Adds a row.
    pub(crate) fn push(&mut self, f: &Fields<'_>) {
        self.0.push(f);
    }

    /// The index, in the vault's order (`urgency` as `vault::listing` makes it), and the rows
    /// whose state changed since last recorded, in that order.
    pub(crate) fn finish(
        mut self,
        clients: u32,
        urgency: impl Fn(State, Option<chrono::DateTime<chrono::Utc>>, u32) -> u128,
    ) -> (DashboardIndex, Vec<CredentialSummary>) {
        self.0.finish_sorted(urgency);
        let changed = self.0.changed().map(|i| self.0.summary(i)).collect();
        (DashboardIndex::from_rows(self.0, clients), changed)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl DashboardIndex {
    /// Indexes a listing, keeping its order (the vault lists the most urgent first); `clients`
    /// is how many clients the vault has, credentials or not.
    pub fn new(listing: Vec<CredentialSummary>, clients: u32) -> Self {
        Self::from_rows(Rows::new(listing), clients)
    }

    fn from_rows(rows: Rows, clients: u32) -> Self {
        let attention = count(rows.rows.iter().filter(|r| r.tab.is_some()).count());
        let checkable = rows.kinds().any(|k| k != Kind::PushCertificate);
        Self {
            rows,
            clients,
            attention,
            checkable,
        }
    }

    /// How many credentials are indexed.
    pub fn len(&self) -> usize {
        self.rows.rows.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.rows.is_empty()
    }

    /// The bytes the index holds on the heap: its rows, its texts, and their lowercase.
    pub fn heap_bytes(&self) -> (usize, usize, usize) {
        self.rows.heap_bytes()
    }

    /// The rows of a tab matching a search, from an offset: one pass over the index.
    pub fn query(&self, q: &DashboardQuery) -> DashboardPage {
        let search = q.search.to_lowercase();
        let words: Vec<&str> = search.split_whitespace().collect();
        let limit = q.limit.min(MAX_ROWS);
        let end = q.offset.saturating_add(limit);
        let (counts, matched, found) = matcher::search(&self.rows, &words, q.tab, end);
        let rows = (found.into_iter())
            .skip(q.offset as usize)
            .map(|i| self.rows.summary(i as usize))
            .collect();
        DashboardPage {
            total: count(self.len()),
            attention: self.attention,
            checkable: self.checkable,
            clients: self.clients,
            counts,
            matched,
            offset: q.offset.min(matched),
            rows,
        }
    }

    /// A credential by its uid.
    pub fn find(&self, uid: &str) -> Option<CredentialSummary> {
        self.rows.position(uid).map(|i| self.rows.summary(i))
    }

    /// Every client that has credentials, with how they stand, by name (case-insensitive).
    pub fn tallies(&self) -> Vec<ClientTally> {
        let mut by_client: std::collections::HashMap<String, ClientTally> =
            std::collections::HashMap::new();
        for r in &self.rows.rows {
            let client = self.rows.strings.get(r.client);
            let t = by_client
                .entry(client.to_lowercase())
                .or_insert_with(|| ClientTally {
                    client: client.to_owned(),
                    credentials: 0,
                    attention: 0,
                    worst: State::Active,
                });
            t.credentials += 1;
            if r.state != State::Active {
                t.attention += 1;
            }
            if r.state.urgency() > t.worst.urgency() {
                t.worst = r.state;
            }
        }
        let mut out: Vec<(String, ClientTally)> = by_client.into_iter().collect();
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out.into_iter().map(|(_, t)| t).collect()
    }
}

#[cfg(test)]
mod tests;
