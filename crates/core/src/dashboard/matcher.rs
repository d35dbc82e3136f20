//! Which rows hold every word of a search. A row's searched texts (its client, label, identity
//! and Apple Account) are stored once however many rows share them, each with its lowercase (see
//! `arena::Folded`); so each word is looked for once in every distinct text, in one forward pass
//! over their lowercase, and each text gets a bit per word it holds. A row then holds every word
//! when its texts' bits, and those of its kind's and its state's names, add up to all of them:
//! six byte reads a row, over each half of the rows at once on a large index. A word no text and
//! no name holds is in no row, and no row is read.
//!
//! Before, each row had a lowercased search text of its own (its client, kind, label, identity,
//! account and state joined): 8.1 MiB at 100,000 credentials beside the texts themselves. The
//! lowercase of the distinct texts is 2.0 MiB there.

use memchr::memmem::Finder;

use super::arena::{Arena, Folded, Text, lowercase};
use super::rows::{Row, Rows};
use super::{Counts, Tab};
use crate::overview::credential_name;
use crate::{Kind, State};

/// From this many rows a search is two passes at once, over each half of the rows: a keystroke
/// at 100,000 credentials reads 6 MB of rows, and the window waits on it.
const SPLIT_FROM: usize = 20_000;

/// The rows matching `words` (every row without words): how many in each tab, how many in
/// `tab`, and the positions of the first `keep` of those.
pub(super) fn search(rows: &Rows, words: &[&str], tab: Tab, keep: u32) -> (Counts, u32, Vec<u32>) {
    let all = rows.rows.as_slice();
    // Eight words at a time, a bit each.
    let groups: Vec<Group> = words
        .chunks(8)
        .map(|words| Group::of(&rows.strings, words))
        .collect();
    if groups.iter().any(Group::nowhere) {
        return (Counts::default(), 0, Vec::new());
    }
    let pass = |from: usize, part: &[Row]| scan(part, from, &groups, tab, keep);
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

/// Where up to eight (lowercased) words are: a bit each.
struct Group {
    /// Per text of the arena, the words it holds.
    texts: Vec<u8>,
    /// Per kind (by [`kind_at`]) and per state (by [`state_at`]), the words its name holds.
    kinds: [u8; 3],
    states: [u8; 5],
    /// Every word's bit.
    every: u8,
}

fn kind_at(kind: Kind) -> usize {
    match kind {
        Kind::PushCertificate => 0,
        Kind::ServerToken => 1,
        Kind::ContentToken => 2,
    }
}

fn state_at(state: State) -> usize {
    match state {
        State::Active => 0,
        State::RenewalRequired => 1,
        State::Expired => 2,
        State::Lapsed => 3,
        State::Error => 4,
    }
}

impl Group {
    /// Looks each of `words` (eight at most) up in every text of `arena` (a folding one), once.
    fn of(arena: &Arena, words: &[&str]) -> Self {
        let mut group = Self {
            texts: vec![0; arena.len()],
            kinds: [0; 3],
            states: [0; 5],
            every: 0,
        };
        for (i, word) in words.iter().enumerate() {
            let bit = 1u8 << i;
            group.every |= bit;
            if word.is_empty() {
                // In every row (a search splits into words, never empty ones).
                group.kinds = group.kinds.map(|k| k | bit);
                continue;
            }
            let names = |name: &str| lowercase(name).contains(word);
            for kind in Kind::ALL {
                if names(credential_name(kind)) {
                    group.kinds[kind_at(kind)] |= bit;
                }
            }
            for state in State::ALL {
                if names(state.label()) {
                    group.states[state_at(state)] |= bit;
                }
            }
            if let Some(folded) = &arena.folded {
                group.mark(word, bit, folded, arena.starts());
            }
        }
        group
    }

    /// Sets `bit` on every text that holds `word`: one forward pass over their lowercase, on
    /// from the end of each text it is found in.
    fn mark(&mut self, word: &str, bit: u8, folded: &Folded, starts: &[u32]) {
        let finder = Finder::new(word.as_bytes());
        // The texts' own lowercase lies before the arena's end, the moved ones after.
        let aligned = &folded.bytes[..starts.last().map_or(0, |&e| e as usize)];
        let (mut at, mut text) = (0usize, 0usize);
        while let Some(found) = finder.find(&aligned[at..]) {
            let found = at + found;
            // The text it is in: the last one to begin at or before it.
            while starts[text + 1] as usize <= found {
                text += 1;
            }
            self.texts[text] |= bit;
            at = starts[text + 1] as usize;
        }
        for (lower, text) in folded.moved() {
            if finder.find(lower).is_some() {
                self.texts[text.0 as usize] |= bit;
            }
        }
    }

    /// A word is in no row: no text holds it, nor any kind's or state's name.
    fn nowhere(&self) -> bool {
        let mut seen = self.kinds.iter().chain(&self.states).fold(0, |m, b| m | b);
        for &t in &self.texts {
            seen |= t;
            if seen == self.every {
                return false;
            }
        }
        seen != self.every
    }

    /// Whether the row holds every word, each in one of its searched texts.
    fn in_row(&self, row: &Row) -> bool {
        let text = |t: Text| self.texts.get(t.0 as usize).copied().unwrap_or(0);
        let held = self.kinds[kind_at(row.kind)]
            | self.states[state_at(row.state)]
            | text(row.client)
            | text(row.label)
            | text(row.identity)
            | text(row.apple_account);
        held == self.every
    }
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
fn scan(rows: &[Row], from: usize, groups: &[Group], tab: Tab, keep: u32) -> Part {
    let mut part = Part {
        counts: Counts::default(),
        matched: 0,
        first: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate() {
        if !groups.iter().all(|g| g.in_row(row)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts (by their position in `texts`) that `word` is found in.
    fn found(texts: &[&str], word: &str) -> Vec<usize> {
        let mut arena = Arena::folding(0);
        let numbers: Vec<Text> = texts.iter().map(|t| arena.intern(t)).collect();
        arena.finish();
        let group = Group::of(&arena, &[word]);
        (0..texts.len())
            .filter(|&i| group.texts[numbers[i].0 as usize] != 0)
            .collect()
    }

    #[test]
    fn a_word_is_found_in_each_text_that_holds_it_and_never_across_two() {
        let texts = ["Acme", "push", "ACME Push", "", "me", "Pushme", "acme"];
        assert_eq!(found(&texts, "acme"), [0, 2, 6]);
        assert_eq!(found(&texts, "push"), [1, 2, 5]);
        assert_eq!(found(&texts, "me"), [0, 2, 4, 5, 6]);
        assert_eq!(found(&texts, "e"), [0, 2, 4, 5, 6]);
        // "Acme" and "push" side by side in the arena are not "mepush".
        assert!(found(&texts, "mepush").is_empty());
        assert!(found(&texts, "acmepush").is_empty());
        assert_eq!(found(&texts, "acme push"), [2]);
    }

    #[test]
    fn a_text_whose_lowercase_is_longer_or_shorter_is_found_by_its_lowercase() {
        // The Kelvin sign (3 bytes) lowercases to "k" (1 byte); "İ" (2 bytes) to "i̇" (3 bytes).
        let texts = ["\u{212A}elvin Labs", "İstanbul Okulu", "kelvin", "Zürich"];
        assert_eq!(found(&texts, "kelvin"), [0, 2]);
        assert_eq!(found(&texts, "labs"), [0]);
        assert_eq!(found(&texts, "i\u{307}stanbul"), [1]);
        assert_eq!(found(&texts, "okulu"), [1]);
        assert_eq!(found(&texts, "zürich"), [3]);
        // Not across the moved lowercases either.
        assert!(found(&texts, "labsi").is_empty());
    }

    #[test]
    fn kind_and_state_names_hold_words_too() {
        let mut arena = Arena::folding(0);
        arena.intern("Acme");
        arena.finish();
        let group = Group::of(&arena, &["token", "renewal", "acme", "zzz"]);
        assert_eq!(group.every, 0b1111);
        assert_eq!(group.kinds, [0, 1, 1]);
        assert_eq!(group.states, [0, 2, 0, 0, 0]);
        assert_eq!(group.texts, [4]);
        assert!(group.nowhere(), "zzz is in no row");
        assert!(!Group::of(&arena, &["token", "acme"]).nowhere());
    }
}
