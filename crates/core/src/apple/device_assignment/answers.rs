//! Apple's Device Assignment answers read into values, without a server: the session token of
//! `/session` and the account of `/account`, with their text fields capped. Pure, so they are
//! tested and fuzzed alone.

use serde::Deserialize;

use super::Account;
use crate::token::fields::first_too_long;

#[derive(Deserialize)]
struct SessionBody {
    auth_session_token: Option<String>,
}

/// Reads the session token of a `/session` answer's body; `None` when it holds none. Pure, so it
/// is tested (and fuzzed) without a server.
pub fn read_session(body: &str) -> Option<String> {
    serde_json::from_str::<SessionBody>(body)
        .ok()
        .and_then(|b| b.auth_session_token)
        .filter(|t| !t.trim().is_empty())
}

/// Longest text kept from `/account`: an organisation's postal address is the longest field.
const MAX_ACCOUNT_CHARS: usize = 1024;

/// Reads a successful `/account` answer's body. Pure, so it is tested (and fuzzed) without a
/// server.
///
/// # Errors
/// What is wrong, in words: not the expected JSON, or a text field far longer than Apple
/// writes (it would be stored and shown everywhere).
pub fn read_account(body: &str) -> std::result::Result<Account, String> {
    let account = serde_json::from_str::<Account>(body)
        .map_err(|_| "the /account answer is not the expected JSON".to_owned())?;
    let a = &account;
    let texts = [
        ("server_name", a.server_name.as_deref()),
        ("server_uuid", a.server_uuid.as_deref()),
        ("admin_id", a.admin_id.as_deref()),
        ("facilitator_id", a.facilitator_id.as_deref()),
        ("org_name", a.org_name.as_deref()),
        ("org_email", a.org_email.as_deref()),
        ("org_phone", a.org_phone.as_deref()),
        ("org_address", a.org_address.as_deref()),
        ("org_id", a.org_id.as_deref()),
        ("org_type", a.org_type.as_deref()),
        ("org_version", a.org_version.as_deref()),
    ];
    match first_too_long(&texts, MAX_ACCOUNT_CHARS) {
        Some((field, length)) => Err(format!(
            "the /account answer's {field} is {length} characters long, far longer than Apple writes: it was not kept; check again later"
        )),
        None => Ok(account),
    }
}
