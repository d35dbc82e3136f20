//! Checks on the text fields Apple's files carry: lengths capped far above anything Apple writes
//! (a 700,000-character organisation name would otherwise be stored and printed everywhere), and
//! JSON objects that name a field twice (Apple never does; an edited file does).

use std::collections::HashSet;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::Kind;
use crate::error::{Error, Result};

/// Names shown to people: organisation, location, common name, push topic. Apple's are under 100
/// characters (a topic is 60, `APSP:<uuid>` 41).
pub const MAX_NAME_CHARS: usize = 256;
/// OAuth values of a server token: Apple's are 43 to 99 characters.
pub const MAX_OAUTH_CHARS: usize = 512;
/// Dates as text (`expDate`, `access_token_expiry`): 20 to 30 characters.
pub const MAX_DATE_CHARS: usize = 64;
/// A distinguished name rendered as text (a server token's recipient issuer).
pub const MAX_DN_CHARS: usize = 1024;
/// A serial number in hex: RFC 5280 allows 20 octets (40 digits).
pub const MAX_SERIAL_CHARS: usize = 64;
/// The opaque value inside a content token.
pub const MAX_TOKEN_CHARS: usize = 8192;

/// Refuses `value` when it is longer than `max` characters, naming the file's kind and the field.
///
/// # Errors
/// [`Error::Corrupt`] saying the file was altered or is not from Apple; the value itself is never
/// quoted (it may be a secret, and it is long).
pub fn cap(kind: Kind, field: &str, value: &str, max: usize) -> Result<()> {
    // Counting stops past the cap: the cost is bounded whatever the value's length.
    if value.chars().take(max.saturating_add(1)).count() <= max {
        return Ok(());
    }
    Err(Error::corrupt(
        kind,
        format!(
            "its {field} is {} characters long, far longer than Apple writes (at most {max} accepted): the file was altered or is not from Apple",
            value.chars().count()
        ),
    ))
}

/// The first of `fields` (name, value) longer than `max` characters, with its length: for
/// answers from Apple's services, whose refusal is not a damaged file.
pub fn first_too_long<'a>(
    fields: &[(&'a str, Option<&str>)],
    max: usize,
) -> Option<(&'a str, usize)> {
    fields.iter().find_map(|(name, value)| {
        let value = (*value)?;
        let long = value.chars().take(max.saturating_add(1)).count() > max;
        long.then(|| (*name, value.chars().count()))
    })
}

/// Shortens text shown in a message (a certificate subject, an unexpected value) to `max`
/// characters, marking the cut.
pub fn shown(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// The first key that a top-level JSON object holds twice, if any. `None` also when the text is
/// not a JSON object (the caller's parser says what is wrong then).
pub fn duplicate_key(json: &[u8]) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    deserializer.deserialize_map(FirstDuplicate).ok().flatten()
}

/// The corrupt-file error for a JSON object that names `field` twice.
pub fn duplicate_error(kind: Kind, field: &str) -> Error {
    Error::corrupt(
        kind,
        format!(
            "it has the field \"{}\" twice, which Apple never writes: the file was edited or is not from Apple",
            shown(field, 40).escape_debug()
        ),
    )
}

struct FirstDuplicate;

impl<'de> Visitor<'de> for FirstDuplicate {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        // Read to the end: the reader refuses a map left half read.
        let mut seen = HashSet::new();
        let mut first = None;
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            if first.is_none() && !seen.insert(key.clone()) {
                first = Some(key);
            }
        }
        Ok(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_count_characters_not_bytes() {
        assert!(cap(Kind::ContentToken, "orgName", &"é".repeat(256), 256).is_ok());
        let err = cap(Kind::ContentToken, "orgName", &"é".repeat(257), 256).expect_err("long");
        assert_eq!(err.kind(), "corrupt_file");
        let text = err.to_string();
        assert!(text.contains("orgName is 257 characters long"), "{text}");
        assert!(text.contains("Apps and Books token"), "{text}");
        assert!(!text.contains("éé"), "{text}");
    }

    #[test]
    fn finds_the_first_repeated_key() {
        assert_eq!(
            duplicate_key(br#"{"a":1,"b":{"a":2},"a":3}"#).as_deref(),
            Some("a")
        );
        assert_eq!(
            duplicate_key(br#"{"a":1,"a":2,"b":3,"b":4}"#).as_deref(),
            Some("a")
        );
        assert_eq!(duplicate_key(br#"{"a":1,"b":2}"#), None);
        assert_eq!(duplicate_key(b"[1,2]"), None);
        assert_eq!(duplicate_key(b"{\"a\":"), None);
        // Escapes are compared decoded, as a JSON reader would.
        assert_eq!(
            duplicate_key(br#"{"a":1,"\u0061":2}"#).as_deref(),
            Some("a")
        );
    }

    #[test]
    fn shown_marks_the_cut() {
        assert_eq!(shown("abc", 3), "abc");
        assert_eq!(shown("abcd", 3), "abc…");
    }
}
