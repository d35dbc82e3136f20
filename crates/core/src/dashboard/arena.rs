//! Texts one after another in one string, each addressed by its offset and length: the
//! dashboard index's texts, with a client's name, an Apple Account, a label or a reason shared by
//! many rows stored once.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// A text in an arena: its first byte and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: u32,
    len: u32,
}

impl Span {
    #[cfg(test)]
    pub(super) fn of(start: usize, len: usize) -> Self {
        Self {
            start: offset(start),
            len: offset(len),
        }
    }

    /// Its first byte and the byte after its last ([`NONE`]: an empty range).
    pub(super) fn range(self) -> (usize, usize) {
        if self == NONE {
            return (0, 0);
        }
        let start = self.start as usize;
        (start, start + self.len as usize)
    }
}

/// No text (an absent Apple Account or reason).
pub(super) const NONE: Span = Span {
    start: u32::MAX,
    len: 0,
};

/// Texts one after another, each stored once.
#[derive(Debug, Default)]
pub(super) struct Arena {
    pub(super) text: String,
    /// While building: a text's hash to where it is (a collision stores the text again).
    seen: HashMap<u64, Span, BuildHasherDefault<Quick>>,
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
            ..Self::default()
        }
    }

    /// Appends `s`, or finds it when stored before.
    pub(super) fn intern(&mut self, s: &str) -> Span {
        let hash = BuildHasherDefault::<Quick>::default().hash_one(s);
        match self.seen.get(&hash) {
            Some(&span) if self.get(span) == s => return span,
            _ => {}
        }
        let span = self.push(s);
        self.seen.insert(hash, span);
        span
    }

    /// Appends `s` (a text unique to its row).
    pub(super) fn push(&mut self, s: &str) -> Span {
        let start = offset(self.text.len());
        self.text.push_str(s);
        Span {
            start,
            len: offset(s.len()),
        }
    }

    /// Appends what `write` appends to the arena's text.
    pub(super) fn push_with(&mut self, write: impl FnOnce(&mut String)) -> Span {
        let start = self.text.len();
        write(&mut self.text);
        Span {
            start: offset(start),
            len: offset(self.text.len() - start),
        }
    }

    pub(super) fn get(&self, span: Span) -> &str {
        if span == NONE {
            return "";
        }
        let start = span.start as usize;
        &self.text[start..start + span.len as usize]
    }

    pub(super) fn get_opt(&self, span: Span) -> Option<String> {
        (span != NONE).then(|| self.get(span).to_owned())
    }

    /// Done building: frees the lookup table and the spare capacity.
    pub(super) fn finish(&mut self) {
        self.seen = HashMap::default();
        self.text.shrink_to_fit();
    }
}
