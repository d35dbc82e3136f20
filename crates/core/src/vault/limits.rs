//! Caps on the text a user types into the vault: names, labels, Apple Accounts, notes. Real
//! values are short; a megabyte pasted by mistake would bloat every listing, event and export
//! that repeats it, so it is refused with the field and its limit named.

use crate::error::{Error, Result};

/// Longest client name, credential label or key label, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest Apple Account, in characters: an e-mail address (RFC 5321 caps a path at 320).
pub const MAX_APPLE_ACCOUNT_CHARS: usize = 320;
/// Longest client notes, in characters.
pub const MAX_NOTES_CHARS: usize = 10_000;

/// A text field the user fills in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field {
    ClientName,
    CredentialLabel,
    KeyLabel,
    AppleAccount,
    Notes,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::ClientName => "a client name",
            Field::CredentialLabel => "a credential label",
            Field::KeyLabel => "a key label",
            Field::AppleAccount => "an Apple Account",
            Field::Notes => "client notes",
        }
    }

    fn max_chars(self) -> usize {
        match self {
            Field::ClientName | Field::CredentialLabel | Field::KeyLabel => MAX_NAME_CHARS,
            Field::AppleAccount => MAX_APPLE_ACCOUNT_CHARS,
            Field::Notes => MAX_NOTES_CHARS,
        }
    }
}

/// Refuses `value` when it is longer than `field` allows.
///
/// # Errors
/// [`Error::InvalidInput`] naming the field, its limit and the length given.
pub(crate) fn check(field: Field, value: &str) -> Result<()> {
    let max = field.max_chars();
    // Counting stops past the limit: a pasted megabyte is not walked to the end.
    let count = value.chars().take(max + 1).count();
    if count <= max {
        return Ok(());
    }
    let given = value.chars().count();
    Err(Error::InvalidInput {
        message: format!(
            "{} can be at most {max} characters long; this one has {given}: shorten it",
            field.name()
        ),
    })
}

/// [`check`] for an optional value.
pub(crate) fn check_opt(field: Field, value: Option<&str>) -> Result<()> {
    value.map_or(Ok(()), |v| check(field, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_up_to_the_limit_pass_and_longer_ones_name_field_and_limit() {
        assert!(check(Field::ClientName, &"a".repeat(MAX_NAME_CHARS)).is_ok());
        let e = check(Field::ClientName, &"a".repeat(MAX_NAME_CHARS + 1)).expect_err("long");
        assert_eq!(e.kind(), "invalid_input");
        let m = e.to_string();
        assert!(
            m.contains("client name") && m.contains("200") && m.contains("201"),
            "{m}"
        );
        let e = check(Field::AppleAccount, &"x".repeat(321)).expect_err("long");
        assert!(e.to_string().contains("Apple Account") && e.to_string().contains("320"));
        assert!(check(Field::Notes, &"n".repeat(MAX_NOTES_CHARS)).is_ok());
        assert!(check(Field::Notes, &"n".repeat(MAX_NOTES_CHARS + 1)).is_err());
        assert!(check_opt(Field::KeyLabel, None).is_ok());
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        // 200 four-byte characters are 800 bytes but one acceptable label.
        assert!(check(Field::CredentialLabel, &"🍎".repeat(MAX_NAME_CHARS)).is_ok());
    }
}
