//! The listing's order: most urgent first, then soonest to expire, then client and label,
//! packed into one integer per row and applied in place.

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
    use std::collections::HashMap;
    let mut names: Vec<&str> = rows.iter().map(|(s, _)| s.client.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut lower: Vec<(String, &str)> = names.iter().map(|n| (n.to_lowercase(), *n)).collect();
    lower.sort_unstable();
    let mut rank: HashMap<&str, u32> = HashMap::with_capacity(lower.len());
    let mut current = 0u32;
    for (i, (low, name)) in lower.iter().enumerate() {
        // Names equal but for case share a rank: the label decides between them.
        if i > 0 && lower[i - 1].0 != *low {
            current += 1;
        }
        rank.insert(name, current);
    }
    let mut keys: Vec<(u128, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, (s, _))| {
            let rank = rank.get(s.client.as_str()).copied().unwrap_or(u32::MAX);
            // A vault holds far fewer than 4 billion rows.
            #[allow(clippy::cast_possible_truncation)]
            (urgency_key(s, rank), i as u32)
        })
        .collect();
    drop(rank);
    drop(lower);
    // Equal keys: the label, then the listing's order (what a stable sort keeps).
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| rows[a.1 as usize].0.label.cmp(&rows[b.1 as usize].0.label))
            .then(a.1.cmp(&b.1))
    });
    put_in_order(rows, keys.into_iter().map(|k| k.1).collect());
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
/// (30), the client's rank (32).
fn urgency_key(s: &CredentialSummary, rank: u32) -> u128 {
    urgency_parts(s.status.state, s.expires_at, rank)
}

/// [`urgency_key`] from the parts it reads (the dashboard's index sorts its own rows by it).
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
