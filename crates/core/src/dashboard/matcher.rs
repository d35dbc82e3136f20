//! Which rows hold every word of a search: one forward pass of the rarest word over the search
//! texts (which lie side by side in the rows' order), the other words checked only in the rows
//! it finds; over each half of the rows at once on a large index.
//!
//! Each row asking `contains` of its own text set a searcher up 100,000 times a keystroke at
//! 100,000 credentials, and read every text at least once: 0.7 to 1.7 ms a keystroke on the
//! bench's words. The pass below sets one searcher up (a vectorised one, from `memchr`) and
//! jumps from one occurrence of the word to the next, over the rows between.

use memchr::memmem::Finder;

use super::arena::Span;
use super::rows::{Row, Rows};
use super::{Counts, Tab};

/// From this many rows a search is two passes at once, over each half of the rows: a keystroke
/// at 100,000 credentials reads 20 MB (rows and texts), and the window waits on it.
const SPLIT_FROM: usize = 20_000;

/// The rows matching `words` (every row without words): how many in each tab, how many in
/// `tab`, and the positions of the first `keep` of those.
pub(super) fn search(rows: &Rows, words: &[&str], tab: Tab, keep: u32) -> (Counts, u32, Vec<u32>) {
    let all = rows.rows.as_slice();
    let texts = rows.search.text.as_str();
    let words = &lead_first(words, texts);
    let pass = |from: usize, part: &[Row]| scan(part, from, texts, words, tab, keep);
    let half = all.len() / 2;
    let parts = if words.is_empty() || all.len() < SPLIT_FROM {
        vec![pass(0, all)]
    } else {
        std::thread::scope(|s| {
            let second = std::thread::Builder::new()
                .name("dashboard-search".into())
                .spawn_scoped(s, || pass(half, &all[half..]));
            let first = pass(0, &all[..half]);
            // No thread to be had: the second half here too.
            let second = match second {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(_) => pass(half, &all[half..]),
            };
            vec![first, second]
        })
    };
    let mut counts = Counts::default();
    let mut matched = 0u32;
    let mut found = Vec::new();
    for part in parts {
        counts.merge(part.counts);
        matched += part.matched;
        let room = (keep as usize).saturating_sub(found.len());
        found.extend(part.first.into_iter().take(room));
    }
    (counts, matched, found)
}

/// How much of the texts is read to tell which word is rarest.
const SAMPLE: usize = 64 * 1024;

/// `words` with the one to look for across the texts first: the one found least often in the
/// first texts (then the longest), as the rows it is in are the only ones the others are looked
/// for in. "client 00" leads with "00": every row's client is called "client" something.
fn lead_first<'w>(words: &[&'w str], texts: &str) -> Vec<&'w str> {
    let mut end = texts.len().min(SAMPLE);
    while !texts.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &texts.as_bytes()[..end];
    let seen = |w: &str| memchr::memmem::find_iter(sample, w.as_bytes()).count();
    let mut ordered = words.to_vec();
    if let Some(lead) =
        (0..words.len()).min_by_key(|&i| (seen(words[i]), usize::MAX - words[i].len()))
    {
        ordered.swap(0, lead);
    }
    ordered
}

/// What a stretch of rows holds for a search.
struct Part {
    counts: Counts,
    /// How many of its matching rows are in the tab.
    matched: u32,
    /// The positions of the first `keep` of those.
    first: Vec<u32>,
}

/// One pass over `rows` (the rows from position `from`).
fn scan(rows: &[Row], from: usize, texts: &str, words: &[&str], tab: Tab, keep: u32) -> Part {
    let mut part = Part {
        counts: Counts::default(),
        matched: 0,
        first: Vec::new(),
    };
    let mut matcher = Matcher::new(words);
    for (i, row) in rows.iter().enumerate() {
        if let Some(m) = &mut matcher
            && !m.matches(texts, row.text)
        {
            continue;
        }
        part.counts.add(row.tab);
        if tab == Tab::All || row.tab == Some(tab) {
            if part.matched < keep {
                part.first.push(super::arena::offset(from + i));
            }
            part.matched += 1;
        }
    }
    part
}

/// A search's words, ready to be looked for.
struct Matcher<'w> {
    /// The rarest word (see [`lead_first`]), looked for across the texts.
    lead: Finder<'w>,
    /// The others, looked for in the rows the lead word is in.
    rest: Vec<Finder<'w>>,
    /// Where the last pass of the lead word began (`usize::MAX` before the first), and where it
    /// found the word next (`None`: nowhere from there on).
    from: usize,
    next: Option<usize>,
}

impl<'w> Matcher<'w> {
    /// The first word leads (see [`lead_first`]); `None` when there is no word: every row
    /// matches.
    fn new(words: &[&'w str]) -> Option<Self> {
        let (lead, rest) = words.split_first()?;
        Some(Self {
            lead: Finder::new(lead.as_bytes()),
            rest: rest.iter().map(|w| Finder::new(w.as_bytes())).collect(),
            from: usize::MAX,
            next: None,
        })
    }

    /// Whether the text at `span` of `texts` holds every word. Cheapest when asked of the rows
    /// in the order of their texts (each pass then goes on from the last one), right whatever
    /// the order.
    fn matches(&mut self, texts: &str, span: Span) -> bool {
        let hay = texts.as_bytes();
        let (start, end) = span.range();
        let needle = self.lead.needle().len();
        // The last pass (if any) says nothing of a text that begins before it did, nor, once it
        // found the word, of one that begins after that.
        let stale = start < self.from || self.next.is_some_and(|at| at < start);
        if stale {
            self.from = start;
            self.next = self.lead.find(&hay[start..]).map(|at| start + at);
        }
        // An occurrence that begins in this text and runs into the next is not in this one.
        let Some(at) = self.next.filter(|&at| at + needle <= end) else {
            return false;
        };
        debug_assert!(at >= start);
        let text = &hay[start..end];
        self.rest.iter().all(|w| w.find(text).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(texts: &str, text: &str) -> Span {
        let start = texts.find(text).expect("in the texts");
        Span::of(start, text.len())
    }

    #[test]
    fn rows_asked_in_any_order_get_the_same_answers() {
        let texts = "acme\u{0}push\u{0}bolt\u{0}push\u{0}cedar\u{0}token";
        let rows = ["acme\u{0}push", "bolt\u{0}push", "cedar\u{0}token"].map(|t| span(texts, t));
        let in_order = |words: &[&str], order: &[usize]| {
            let mut m = Matcher::new(words).expect("words");
            let mut found: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| m.matches(texts, rows[i]))
                .collect();
            found.sort_unstable();
            found
        };
        for words in [
            &["push"][..],
            &["c"],
            &["token", "c"],
            &["pushb"],
            &["h"],
            &["push", "acme"],
        ] {
            let forward = in_order(words, &[0, 1, 2]);
            for order in [[2, 1, 0], [1, 0, 2], [2, 0, 1], [0, 2, 1]] {
                assert_eq!(
                    in_order(words, &order),
                    forward,
                    "{words:?} in the order {order:?}"
                );
            }
        }
        assert_eq!(in_order(&["push"], &[0, 1, 2]), [0, 1]);
        assert_eq!(in_order(&["pushb"], &[0, 1, 2]), Vec::<usize>::new());
        assert_eq!(in_order(&["token", "c"], &[0, 1, 2]), [2]);
    }

    #[test]
    fn the_rarest_word_in_the_first_texts_leads() {
        let texts = "client 0042\u{0}client 0043\u{0}client 1234";
        assert_eq!(lead_first(&["client", "00"], texts), ["00", "client"]);
        assert_eq!(lead_first(&["client", "1234"], texts), ["1234", "client"]);
        // Found as often: the longest leads.
        assert_eq!(lead_first(&["0042", "004"], texts), ["0042", "004"]);
        assert_eq!(lead_first(&["004", "0042"], texts), ["0042", "004"]);
        assert!(lead_first(&[], texts).is_empty());
    }
}
