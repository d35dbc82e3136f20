//! Texts one after another in one string, each known by its number: the dashboard index's
//! texts, with a client's name, an Apple Account, a label, an identity or a reason shared by many
//! rows stored once. A folding arena also keeps every text's lowercase at the same offset (see
//! [`Folded`]): what a search looks its words up in.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// A text in an arena: its number, in the order the texts were stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Text(pub(super) u32);

/// No text (an absent Apple Account or reason).
pub(super) const NONE: Text = Text(u32::MAX);

/// Texts one after another, each stored once when interned.
#[derive(Debug)]
pub(super) struct Arena {
    pub(super) text: String,
    /// Where each text begins, and (last) where the next one would: text `i` runs from
    /// `starts[i]` to `starts[i + 1]`, less the separator of a folding arena.
    starts: Vec<u32>,
    /// While building: a text's hash to its number (a collision stores the text again).
    seen: HashMap<u64, Text, BuildHasherDefault<Quick>>,
    /// The texts' lowercase, when folding (see [`Arena::folding`]).
    pub(super) folded: Option<Folded>,
}

impl Default for Arena {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

/// Never in a lowercased text (no UTF-8 text holds this byte), so never in a search word: what
/// separates the lowercased texts, and what stands in for one whose lowercase is not as long.
pub(super) const GAP: u8 = 0xFF;

/// A folding arena's texts lowercased, each at the offset of its text in the arena and followed
/// by [`GAP`] (the arena puts a byte of its own after each text, so that the offsets agree). A
/// text whose lowercase is not as long as the text (a rare letter such as the Kelvin sign) is
/// [`GAP`]s here, and its lowercase is kept after the arena's length (see `moved`).
#[derive(Debug, Default)]
pub(super) struct Folded {
    /// The lowercase of every text, then the moved ones, each followed by [`GAP`].
    pub(super) bytes: Vec<u8>,
    /// Each moved lowercase: where it begins in `bytes`, and its text.
    pub(super) moved: Vec<(u32, Text)>,
    /// The moved lowercases while building (appended to `bytes` by [`Arena::finish`]).
    moved_text: Vec<u8>,
}

impl Folded {
    fn push(&mut self, text: Text, s: &str) {
        let lower = lowercase(s);
        if lower.len() == s.len() {
            self.bytes.extend_from_slice(lower.as_bytes());
        } else {
            self.bytes.resize(self.bytes.len() + s.len(), GAP);
            self.moved.push((offset(self.moved_text.len()), text));
            self.moved_text.extend_from_slice(lower.as_bytes());
            self.moved_text.push(GAP);
        }
        self.bytes.push(GAP);
    }

    fn finish(&mut self) {
        if !self.moved_text.is_empty() {
            let aligned = self.bytes.len();
            for m in &mut self.moved {
                m.0 = offset(aligned + m.0 as usize);
            }
            self.bytes.append(&mut self.moved_text);
            self.moved_text = Vec::new();
        }
        self.bytes.shrink_to_fit();
        self.moved.shrink_to_fit();
    }

    /// Each moved lowercase (without its [`GAP`]) and its text.
    pub(super) fn moved(&self) -> impl Iterator<Item = (&[u8], Text)> {
        self.moved.iter().enumerate().map(|(i, &(at, text))| {
            let end = self
                .moved
                .get(i + 1)
                .map_or(self.bytes.len(), |n| n.0 as usize);
            (&self.bytes[at as usize..end - 1], text)
        })
    }
}

/// `s` lowercased (not copied when it is lowercase already, the usual case).
pub(super) fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.is_ascii() {
        s.to_lowercase().into()
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        s.to_ascii_lowercase().into()
    } else {
        s.into()
    }
}

/// A multiply-and-rotate hash (as rustc's FxHash): cheaper than the default SipHash on short
/// names, and the index's own data is no one's attack surface.
#[derive(Default)]
pub(super) struct Quick(u64);

impl Hasher for Quick {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Quick {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(super) fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("an index holds less than 4 GiB of text")
}

impl Arena {
    pub(super) fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            starts: vec![0],
            seen: HashMap::default(),
            folded: None,
        }
    }

    /// An arena that keeps its texts' lowercase too (see [`Folded`]).
    pub(super) fn folding(bytes: usize) -> Self {
        Self {
            folded: Some(Folded {
                bytes: Vec::with_capacity(bytes),
                ..Folded::default()
            }),
            ..Self::with_capacity(bytes)
        }
    }

    /// How many texts it holds.
    pub(super) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Where each text begins, then where the next one would.
    pub(super) fn starts(&self) -> &[u32] {
        &self.starts
    }

    /// Appends `s`, or finds it when stored before.
    pub(super) fn intern(&mut self, s: &str) -> Text {
        let hash = BuildHasherDefault::<Quick>::default().hash_one(s);
        match self.seen.get(&hash) {
            Some(&text) if self.get(text) == s => return text,
            _ => {}
        }
        let text = self.push(s);
        self.seen.insert(hash, text);
        text
    }

    /// Appends `s` (a text unique to its row).
    pub(super) fn push(&mut self, s: &str) -> Text {
        let text = Text(offset(self.len()));
        self.text.push_str(s);
        if let Some(folded) = &mut self.folded {
            folded.push(text, s);
            // The byte the lowercase's GAP stands beside.
            self.text.push('\0');
        }
        self.starts.push(offset(self.text.len()));
        text
    }

    pub(super) fn get(&self, text: Text) -> &str {
        let i = text.0 as usize;
        let (Some(&start), Some(&next)) = (self.starts.get(i), self.starts.get(i + 1)) else {
            return "";
        };
        let end = next as usize - usize::from(self.folded.is_some());
        &self.text[start as usize..end]
    }

    pub(super) fn get_opt(&self, text: Text) -> Option<String> {
        (text != NONE).then(|| self.get(text).to_owned())
    }

    /// Done building: frees the lookup table and the spare capacity.
    pub(super) fn finish(&mut self) {
        self.seen = HashMap::default();
        self.text.shrink_to_fit();
        self.starts.shrink_to_fit();
        if let Some(folded) = &mut self.folded {
            folded.finish();
        }
    }

    /// The bytes it holds on the heap: its texts (with where each begins), and their lowercase.
    pub(super) fn heap_bytes(&self) -> (usize, usize) {
        let folded = self.folded.as_ref().map_or(0, |f| {
            f.bytes.capacity() + f.moved.capacity() * std::mem::size_of::<(u32, Text)>()
        });
        (
            self.text.capacity() + self.starts.capacity() * std::mem::size_of::<u32>(),
            folded,
        )
    }
}
