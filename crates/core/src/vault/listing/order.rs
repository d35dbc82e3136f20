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
    let order = urgency_order(
        rows.len(),
        |i| {
            let s = &rows[i].0;
            (s.client.as_str(), s.status.state, s.expires_at)
        },
        |i| rows[i].0.label.as_str(),
    );
    put_in_order(rows, order);
}

/// The listing's order of `n` rows, each read by `row` as its client, state and expiry, and
/// by `label` as its label: position k of the answer names the row that goes at k.
pub(crate) fn urgency_order<'a>(
    n: usize,
    row: impl Fn(usize) -> (&'a str, State, Option<DateTime<Utc>>),
    label: impl Fn(usize) -> &'a str,
) -> Vec<u32> {
    let ranks = client_ranks((0..n).map(|i| row(i).0));
    let keys = ranks.into_iter().enumerate().map(|(i, rank)| {
        let (_, state, expires_at) = row(i);
        urgency_parts(state, expires_at, rank)
    });
    order_by_key_then_label(keys, label)
}

/// The order of rows given each row's packed key (see [`urgency_parts`]): by key, then within
/// each run of equal keys (a client's credentials expiring together) by `label`, then by
/// position (what a stable sort keeps). Position k of the answer names the row that goes at k.
///
/// The keys are sorted as integers first and the labels read only within runs of equal keys:
/// one comparison reading labels was a call per comparison, a twenty-fifth of `status --json`
/// and 50 M of the 902 M instructions of building the dashboard's index at 100,000 credentials
/// (callgrind).
pub(crate) fn order_by_key_then_label<'a>(
    keys: impl Iterator<Item = u128>,
    label: impl Fn(usize) -> &'a str,
) -> Vec<u32> {
    // Each key as two words and the row's position: 24 bytes a row, not the 32 a `u128` (which
    // aligns to 16) would take.
    let mut keys: Vec<([u64; 2], u32)> = keys
        .enumerate()
        .map(|(i, key)| {
            // The key's halves, and a vault holds far fewer than 4 billion rows.
            #[allow(clippy::cast_possible_truncation)]
            ([(key >> 64) as u64, key as u64], i as u32)
        })
        .collect();
    keys.sort_unstable_by_key(|k| (k.0[0], k.0[1], k.1));
    let mut start = 0;
    while start < keys.len() {
        let end = start + keys[start..].partition_point(|k| k.0 == keys[start].0);
        if end - start > 1 {
            keys[start..end].sort_unstable_by(|a, b| {
                label(a.1 as usize)
                    .cmp(label(b.1 as usize))
                    .then(a.1.cmp(&b.1))
            });
        }
        start = end;
    }
    keys.into_iter().map(|k| k.1).collect()
}

/// Each row's client ranked by name ignoring case (names equal but for case share a rank: the
/// label decides between them). The distinct names (a few thousand) are ranked, not a name per
/// row, and each row's name is hashed once: at 100,000 credentials a vector of every row's
/// name, sorted and deduplicated, was 1.6 MB more at the listing's peak (massif), and looking
/// each name up a second time doubled the hashing (callgrind).
fn client_ranks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let of_row: Vec<u32> = names
        .map(|name| {
            // Fewer distinct clients than rows, and far fewer than 4 billion.
            #[allow(clippy::cast_possible_truncation)]
            let next = ids.len() as u32;
            *ids.entry(name).or_insert(next)
        })
        .collect();
    let mut lower: Vec<(String, u32)> = ids.iter().map(|(n, &id)| (n.to_lowercase(), id)).collect();
    drop(ids);
    lower.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut rank_of = vec![0u32; lower.len()];
    let mut current = 0u32;
    for (i, (low, id)) in lower.iter().enumerate() {
        if i > 0 && lower[i - 1].0 != *low {
            current += 1;
        }
        rank_of[*id as usize] = current;
    }
    of_row.into_iter().map(|id| rank_of[id as usize]).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_by_key_then_label_then_position() {
        // Keys 2, 1, 1, 1, 0 and 1: the run of key 1 is ordered by label, and its two rows
        // labelled alike keep their places between them.
        let labels = ["a", "c", "b", "b", "z", "a"];
        let keys = [2u128, 1, 1, 1, 0, 1];
        let order = order_by_key_then_label(keys.into_iter(), |i| labels[i]);
        assert_eq!(order, [4, 5, 2, 3, 1, 0]);
        // The high word of a key decides before its low one (each key is kept as two words).
        let order = order_by_key_then_label([1u128 << 64, 1].into_iter(), |_| "");
        assert_eq!(order, [1, 0]);
        assert!(order_by_key_then_label(std::iter::empty(), |_| "").is_empty());
    }
}
