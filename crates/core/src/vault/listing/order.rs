//! The listing's order: most urgent first, then soonest to expire, then client and label,
//! packed into one integer per row and applied in place.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::status::State;
use crate::summary::CredentialSummary;

/// Sorts listed rows most urgent first, then soonest to expire (unknown first: it needs a look),
/// then by client (ignoring case) and label. The clients are ranked once (a few thousand names,
/// not a lowercase copy per row); each row's order up to the label is packed into one integer
/// and those are sorted, then the rows are put in place by swaps. At 100,000 credentials,
/// sorting tuples holding dates was a fifth of `status --json` (callgrind), and moving the
/// rows through a second vector doubled their memory for a moment.
pub(super) fn sort_by_urgency<T>(rows: &mut [(CredentialSummary, T)]) {
    let order = urgency_order(rows.len(), |i| {
        let s = &rows[i].0;
        (
            s.client.as_str(),
            s.label.as_str(),
            s.status.state,
            s.expires_at,
        )
    });
    put_in_order(rows, order);
}

/// The listing's order of `n` rows, each read by `row` as its client, label, state and
/// expiry: position k of the answer names the row that goes at k.
pub(crate) fn urgency_order<'a>(
    n: usize,
    row: impl Fn(usize) -> (&'a str, &'a str, State, Option<DateTime<Utc>>),
) -> Vec<u32> {
    let rank = client_ranks((0..n).map(|i| row(i).0));
    // Each key as two words and the row's position: 24 bytes a row, not the 32 a `u128` (which
    // aligns to 16) would take.
    let mut keys: Vec<([u64; 2], u32)> = (0..n)
        .map(|i| {
            let (client, _, state, expires_at) = row(i);
            let rank = rank.get(client).copied().unwrap_or(u32::MAX);
            let key = urgency_parts(state, expires_at, rank);
            // The key's halves, and a vault holds far fewer than 4 billion rows.
            #[allow(clippy::cast_possible_truncation)]
            ([(key >> 64) as u64, key as u64], i as u32)
        })
        .collect();
    drop(rank);
    // Equal keys: the label, then the listing's order (what a stable sort keeps).
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| row(a.1 as usize).1.cmp(row(b.1 as usize).1))
            .then(a.1.cmp(&b.1))
    });
    keys.into_iter().map(|k| k.1).collect()
}

/// Each client's rank by name ignoring case (names equal but for case share one: the label
/// decides between them). Ranked from the distinct names (a few thousand), not from a name per
/// row: at 100,000 credentials a vector of every row's name, sorted and deduplicated, was 1.6
/// MB more at the listing's peak (massif).
fn client_ranks<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, u32> {
    let mut rank: HashMap<&str, u32> = HashMap::new();
    for name in names {
        rank.entry(name).or_insert(0);
    }
    let mut lower: Vec<(String, &str)> = rank.keys().map(|n| (n.to_lowercase(), *n)).collect();
    lower.sort_unstable();
    let mut current = 0u32;
    for (i, (low, name)) in lower.iter().enumerate() {
        if i > 0 && lower[i - 1].0 != *low {
            current += 1;
        }
        rank.insert(name, current);
    }
    rank
}

/// Puts `rows` in `order`: position k takes the row that was at `order[k]`. Each cycle of the
/// permutation is followed with swaps, in place (a sorted copy of 100,000 rows would be tens of
/// MB more for a moment). `order` must be a permutation of the positions.
pub(crate) fn put_in_order<T>(rows: &mut [T], mut order: Vec<u32>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let next = order[at] as usize;
            order[at] = u32::MAX;
            if next == start || next == u32::MAX as usize {
                break;
            }
            rows.swap(at, next);
            at = next;
        }
    }
}

/// A row's order up to its label, in one integer: most urgent first (8 bits), unknown expiry
/// before known (1), the expiry's seconds (44 bits hold every date chrono can) and nanoseconds
/// (30), the client's rank (32). The dashboard's index sorts its own rows by it too.
pub(in crate::vault) fn urgency_parts(
    state: State,
    expires_at: Option<DateTime<Utc>>,
    rank: u32,
) -> u128 {
    let urgency = u128::from(u8::MAX - state.urgency());
    let expiry = expires_at.map_or(0, |at| {
        // Biased to be positive: chrono's dates are within +/- 2^43 seconds of 1970.
        let seconds =
            u128::from(u64::try_from(at.timestamp() + (1 << 43)).unwrap_or(0)) & ((1 << 44) - 1);
        (1 << 74) | (seconds << 30) | u128::from(at.timestamp_subsec_nanos() & ((1 << 30) - 1))
    });
    (urgency << 107) | (expiry << 32) | u128::from(rank)
}
