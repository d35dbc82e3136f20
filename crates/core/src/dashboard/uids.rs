//! The credentials' uids as the dashboard's index keeps them: the vault's own as the 16 bytes
//! they spell, any other as a text.

use super::arena::{Arena, Text, offset};

/// A credential's uid in [`Uids`]: below [`OTHER`], its place among the vault's own; else
/// `OTHER` + its text among the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Uid(u32);

const OTHER: u32 = 1 << 31;

/// The credentials' uids: the vault's own (32 lowercase hex digits, `vault::new_uid`) as the 16
/// bytes they spell (half the room, and no text to find it by); any other as a text.
#[derive(Debug)]
pub(super) struct Uids {
    own: Vec<[u8; 16]>,
    other: Arena,
}

impl Uids {
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            own: Vec::with_capacity(n),
            other: Arena::default(),
        }
    }

    /// The 16 bytes a uid of the vault's own spells, or `None` for another uid.
    fn bytes(uid: &str) -> Option<[u8; 16]> {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let hex = uid.as_bytes();
        if hex.len() != 32 {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(out)
    }

    pub(super) fn push(&mut self, uid: &str) -> Uid {
        match Self::bytes(uid) {
            Some(bytes) if self.own.len() < OTHER as usize => {
                self.own.push(bytes);
                Uid(offset(self.own.len() - 1))
            }
            _ => Uid(OTHER + self.other.push(uid).0),
        }
    }

    pub(super) fn get(&self, uid: Uid) -> String {
        if uid.0 >= OTHER {
            return self.other.get(Text(uid.0 - OTHER)).to_owned();
        }
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let bytes = self.own.get(uid.0 as usize).copied().unwrap_or_default();
        let mut out = String::with_capacity(32);
        for b in bytes {
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 15)]));
        }
        out
    }

    /// The uid `uid` was stored as, if it was.
    pub(super) fn find(&self, uid: &str) -> Option<Uid> {
        match Self::bytes(uid) {
            Some(bytes) => self
                .own
                .iter()
                .position(|b| *b == bytes)
                .map(|i| Uid(offset(i))),
            None => (0..self.other.len())
                .find(|&i| self.other.get(Text(offset(i))) == uid)
                .map(|i| Uid(OTHER + offset(i))),
        }
    }

    pub(super) fn finish(&mut self) {
        self.own.shrink_to_fit();
        self.other.finish();
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.own.capacity() * 16 + self.other.heap_bytes().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_come_back_as_stored_and_are_found() {
        let own = "0123456789abcdef00ff7f80a5c3e1d2";
        let others = [
            "e1",
            // Upper case, or one digit short or too many: stored as texts, as they are.
            "0123456789ABCDEF00FF7F80A5C3E1D2",
            "0123456789abcdef00ff7f80a5c3e1d",
            "0123456789abcdef00ff7f80a5c3e1d2a",
            "0123456789abcdef00ff7f80a5c3e1dg",
        ];
        let mut uids = Uids::with_capacity(0);
        let stored: Vec<Uid> = std::iter::once(own)
            .chain(others)
            .map(|u| uids.push(u))
            .collect();
        uids.finish();
        assert_eq!(stored[0], Uid(0), "the vault's own uid is kept as bytes");
        assert!(stored[1..].iter().all(|u| u.0 >= OTHER));
        for (uid, at) in std::iter::once(own).chain(others).zip(&stored) {
            assert_eq!(uids.get(*at), uid);
            assert_eq!(uids.find(uid), Some(*at), "{uid}");
        }
        assert_eq!(uids.find("ffffffffffffffffffffffffffffffff"), None);
        assert_eq!(uids.find("nobody"), None);
        assert_eq!(uids.heap_bytes(), 16 + uids.other.heap_bytes().0);
    }
}
